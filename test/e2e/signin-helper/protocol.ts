// What the demo hands its sign-in helper: environment variables of code-server, inherited by
// the extension host. Free of `vscode` imports so scripts/demo.ts can load it in plain Node.

/** The instance to sign in to (the fake GitLab's URL). */
export const DEMO_URL_ENV = 'GITLAB_PACKAGES_DEMO_URL';
/** The fake GitLab's maintainer token. Only ever a token of the local fake server. */
export const DEMO_TOKEN_ENV = 'GITLAB_PACKAGES_DEMO_TOKEN';
/** '1': reveal the GitLab Packages view once signed in. */
export const DEMO_OPEN_VIEW_ENV = 'GITLAB_PACKAGES_DEMO_OPEN_VIEW';

export const MAIN_EXTENSION_ID = 'gitlab-packages-team.gitlab-packages';
