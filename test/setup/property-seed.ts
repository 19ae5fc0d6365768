/**
 * Property tests draw new inputs on every run, so a developer's runs keep looking for what no
 * table thought of; a failure prints its seed and path, and `FC_SEED=<seed>` draws the same
 * inputs again. Under CI (`CI` set, as `.ci/run` runs) they draw one fixed set instead, so that
 * a commit's CI passes or fails on what the commit changed, not on the draw.
 */
import fc from "fast-check";

const seed = process.env.FC_SEED ?? (process.env.CI ? "20261202" : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
