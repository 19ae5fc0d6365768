/** The id of the App under test; its runs, issues and deployments are the ones it made. */
export const APP_ID = 1;
