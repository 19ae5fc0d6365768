/** When the demo judges: a Tuesday morning in Shenzhen, outside any freeze. */
export const DEMO_NOW = new Date("2026-11-24T10:00:00+08:00");

/** `DEMO_NOW` as the demo prints it in each step's `gatehouse check --now`. */
export const DEMO_NOW_TEXT = "2026-11-24T10:00:00+08:00";

/** The window the ops lead books: a Thursday night. */
export const DEMO_WINDOW = { start: "2026-11-26T22:00:00+08:00", end: "2026-11-26T23:30:00+08:00" };
