/**
 * Small pieces of grammar shared by the vscode-free layers. Pure.
 */
import * as l10n from '@vscode/l10n';

/** Two sentences in a row: a space in English, nothing between Chinese sentences (`。` ends one). */
export function joinSentences(first: string, second: string): string {
  if (!second) return first;
  if (!first) return second;
  return l10n.t({ message: '{0} {1}', args: [first, second], comment: ['two sentences in a row; Chinese joins them without a space'] });
}
