import { scheduleStage } from "../deploy/stage.js";
import { privacyStage } from "../privacy/stage.js";
import { signaturesStage } from "../signatures/stage.js";
import type { Stage } from "./stage.js";

/** The stages `evaluate` runs after the core rules, in this order. Later parts register here. */
export const STAGES: Stage[] = [signaturesStage, privacyStage, scheduleStage];
