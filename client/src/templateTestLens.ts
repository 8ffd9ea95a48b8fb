// The "AKS Policy: Test This Template" code lens: the server says whether a file is a template (or a definition
// naming one) with a gator suite, and where; the lens runs the command.
import * as vscode from 'vscode';
import type { TemplateTestsResult } from '../../server/src/protocol';
import { TEST_TEMPLATE } from './commands';

/** What the lens asks the language server. */
export interface TemplateTestsServer {
  templateTests(uri: vscode.Uri, text: string): Promise<TemplateTestsResult>;
}

/** Files worth asking about: a cheap look, so that most YAML and JSON files cost no request. */
const MAY_BE_TESTABLE = /ConstraintTemplate|"templateInfo"/;

export const TEMPLATE_LENS_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', language: 'json' },
  { scheme: 'file', language: 'jsonc' },
];

export class TemplateTestLens implements vscode.CodeLensProvider {
  constructor(private readonly server: TemplateTestsServer) {}

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    // Testing runs the workspace's own Rego: not in Restricted Mode.
    if (!vscode.workspace.isTrusted || !MAY_BE_TESTABLE.test(document.getText())) return [];
    const found = await this.server.templateTests(document.uri, document.getText());
    if (!found) return [];
    const line = Math.min(found.line, document.lineCount - 1);
    const count = found.suites.length === 1 ? '' : ` (${found.suites.length} suites)`;
    return [new vscode.CodeLens(document.lineAt(line).range, { title: `AKS Policy: Test This Template${count}`, command: TEST_TEMPLATE, arguments: [document.uri] })];
  }
}
