/** Pure container-registry domain logic (no vscode): references, status, protection, clean-up preview, messages. */
export * from './references';
export * from './status';
export * from './protection';
export * from './regex';
export * from './cleanup';
export * from './errors';
export * from './context';
export * from './tag-details-html';
