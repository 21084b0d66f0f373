// Enhancements only: every page works without JavaScript.
import { initAll as initGovukFrontend } from '/assets/govuk-frontend.min.js';
import { initAll as initMojFrontend } from '/assets/moj-frontend.min.js';

initGovukFrontend();
initMojFrontend();
