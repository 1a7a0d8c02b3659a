import { workspaceRoute } from "@/server/http/guard";
import { correctCategory, correctCategoryInput } from "@/server/inbox/correct-reply-category";

/** `{category}`: a person's correction of a reply's category, kept. */
export const POST = workspaceRoute(correctCategoryInput, correctCategory);
