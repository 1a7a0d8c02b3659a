import { describe, expect, it } from "vitest";
import {
  analyseTemplate,
  DEFAULT_LONGEST_VALUES,
  parseTemplate,
  previewTemplate,
  renderForSend,
  renderTemplate,
} from "./template";

const lead = {
  firstName: "Ada",
  lastName: "Lovelace",
  company: "Analytical Engines",
  title: "Mathematician",
  custom: { industry: "Computing" },
};

describe("parsing templates", () => {
  it("splits text and placeholders, trimming names and fallbacks", () => {
    expect(parseTemplate("Hi {{ firstName | there }}!").segments).toEqual([
      { type: "text", text: "Hi " },
      {
        type: "variable",
        name: "firstName",
        fallback: "there",
        placeholder: "{{ firstName | there }}",
      },
      { type: "text", text: "!" },
    ]);
  });

  it("reports an opening {{ that is never closed", () => {
    expect(parseTemplate("Hi {{firstName, welcome").problems.map((p) => p.code)).toEqual([
      "template_syntax",
    ]);
  });

  it("reports a placeholder that names no variable", () => {
    expect(parseTemplate("Hi {{ | there}}").problems.map((p) => p.code)).toEqual([
      "template_syntax",
    ]);
  });

  it("treats single braces as plain text", () => {
    expect(parseTemplate("Use {curly} braces").problems).toEqual([]);
  });
});

describe("checking variables", () => {
  it("accepts the four lead variables and any custom field when no field list is given", () => {
    const analysis = analyseTemplate(
      "{{firstName}} {{lastName}} {{company}} {{title}} {{custom.x}}",
    );
    expect(analysis.problems).toEqual([]);
    expect(analysis.variables).toEqual(["firstName", "lastName", "company", "title", "custom.x"]);
  });

  it("rejects an unknown variable and suggests the one probably meant", () => {
    const analysis = analyseTemplate("Hi {{first_name}}");
    expect(analysis.problems.map((p) => p.code)).toEqual(["unknown_template_variable"]);
    expect(analysis.problems[0]?.message).toContain("did you mean {{firstName}}");
  });

  it("suggests a variable one typo away", () => {
    expect(analyseTemplate("{{frstName}}").problems[0]?.message).toContain("{{firstName}}");
  });

  it("rejects a custom field the leads do not have when the field list is known", () => {
    const analysis = analyseTemplate("{{custom.industry}} {{custom.budget}}", {
      knownCustomFields: ["industry"],
    });
    expect(analysis.problems.map((p) => p.code)).toEqual(["unknown_template_variable"]);
    expect(analysis.problems[0]?.message).toContain('"budget"');
  });

  it("reports each unknown variable once even when repeated", () => {
    expect(analyseTemplate("{{foo}} {{foo}}").problems).toHaveLength(1);
  });
});

describe("worst-case length", () => {
  it("counts each variable at its longest plausible value", () => {
    const analysis = analyseTemplate("Hi {{firstName}} at {{company}}");
    expect(analysis.literalLength).toBe("Hi  at ".length);
    expect(analysis.worstCaseLength).toBe(
      "Hi  at ".length + DEFAULT_LONGEST_VALUES.firstName + DEFAULT_LONGEST_VALUES.company,
    );
  });

  it("counts a fallback longer than the plausible value", () => {
    const fallback = "x".repeat(30);
    expect(analyseTemplate(`{{firstName|${fallback}}}`).worstCaseLength).toBe(30);
  });

  it("uses configured longest values, per custom field where given", () => {
    const analysis = analyseTemplate("{{title}}{{custom.industry}}{{custom.other}}", {
      longestValues: { title: 10, custom: 7, customFields: { industry: 3 } },
    });
    expect(analysis.worstCaseLength).toBe(10 + 3 + 7);
  });
});

describe("rendering for a lead", () => {
  it("fills every variable from the lead", () => {
    expect(
      renderTemplate(
        "{{firstName}} {{lastName}}, {{title}} at {{company}} ({{custom.industry}})",
        lead,
      ).text,
    ).toBe("Ada Lovelace, Mathematician at Analytical Engines (Computing)");
  });

  it("uses the fallback when the lead has no value or a blank one", () => {
    expect(renderTemplate("Hi {{firstName|there}}", { firstName: "  " }).text).toBe("Hi there");
    expect(renderTemplate("Hi {{firstName|there}}", {}).text).toBe("Hi there");
  });

  it("prefers the lead's value over the fallback", () => {
    expect(renderTemplate("Hi {{firstName|there}}", lead).text).toBe("Hi Ada");
  });

  it("lists variables with neither a value nor a fallback", () => {
    expect(renderTemplate("Hi {{firstName}} from {{company}}", { company: "Acme" })).toEqual({
      text: "Hi  from Acme",
      missingVariables: ["firstName"],
    });
  });

  it("never reads custom fields from the object prototype", () => {
    expect(renderTemplate("{{custom.constructor|none}}", { custom: {} }).text).toBe("none");
  });

  it("refuses to send a text with a missing variable", () => {
    expect(renderForSend("Hi {{firstName}}", {}, 300)).toEqual({
      ok: false,
      reason: "missing_variable",
      missingVariables: ["firstName"],
    });
  });

  it("refuses to send a text that is over the limit once rendered", () => {
    const result = renderForSend("Hello {{company}}", { company: "x".repeat(300) }, 300);
    expect(result).toMatchObject({ ok: false, reason: "too_long", length: 306, limit: 300 });
  });

  it("sends a rendered text within the limit", () => {
    expect(renderForSend("Hi {{firstName|there}}", lead, 300)).toEqual({
      ok: true,
      text: "Hi Ada",
    });
  });
});

describe("previews for labels", () => {
  it.each([
    ["Quick question, {{firstName|there}}", "Quick question, there"],
    ["Hi {{firstName}} at {{ company }}", "Hi [first name] at [company]"],
    ["About {{custom.tag}}", "About [tag]"],
    ["Half {{firstName", "Half firstName"],
    ["Plain text", "Plain text"],
  ])("%j reads %j", (template, preview) => {
    expect(previewTemplate(template)).toBe(preview);
    expect(previewTemplate(template)).not.toContain("{{");
  });
});
