/**
 * Retrains workflows/replies/reply-model.json from workflows/replies/labelled-replies.tsv,
 * leaving out the held-out rows (splits "fresh3" and "fresh4"), which only measure. Run after editing the set:
 *   node_modules/.bin/tsx scripts/train-reply-model.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseLabelledReplies, TRAINING_SPLITS } from "../workflows/replies/labelled";
import { trainModel } from "../workflows/replies/model";

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const rows = parseLabelledReplies(
  readFileSync(here("../workflows/replies/labelled-replies.tsv"), "utf8"),
);
const model = trainModel(rows.filter((row) => TRAINING_SPLITS.includes(row.split)));
writeFileSync(here("../workflows/replies/reply-model.json"), `${JSON.stringify(model)}\n`);
console.log(
  `${Object.keys(model.features).length} features from ${model.documents.reduce((a, b) => a + b, 0)} replies`,
);
