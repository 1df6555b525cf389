/**
 * Install / usage snippets per package type, following the URL shapes GitLab documents for
 * each package manager's project-level endpoint. Secrets are always placeholders
 * (`<your_access_token>`), never real tokens. Package names and versions come from the API,
 * so every value is quoted for the language it lands in: a hostile name must not turn a
 * copied command into something else. Titles are translated; the snippets themselves are
 * code and stay as the tools expect them.
 */
import * as l10n from '@vscode/l10n';
import type { GitLabPackageFile } from '../gitlab/types';
import { apiBaseUrl, instanceHost, normalizeInstanceUrl } from './instance';
import { displayFileName } from './format';

export interface Snippet {
  /** VS Code language id (`shellscript`, `xml`, `ini`, …), usable for an untitled editor. */
  language: string;
  title: string;
  text: string;
}

export interface SnippetInput {
  instanceUrl: string;
  /** Numeric project id: GitLab's package-manager URLs use it. */
  projectId: number;
  /** Full project path; improves Composer and Terraform snippets when known. */
  projectPath?: string;
  packageType: string;
  /** The API's `name` (for Conan, the full recipe). */
  name: string;
  version: string | null;
  conanPackageName?: string;
  files?: ReadonlyArray<Pick<GitLabPackageFile, 'file_name'>>;
  /** Composer's repository is group-level; defaults to the project's namespace path. */
  composerGroupId?: number | string;
}

export const TOKEN_PLACEHOLDER = '<your_access_token>';
export const USERNAME_PLACEHOLDER = '<your_username>';

const SHELL_SAFE_RE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** POSIX shell quoting: bare when only safe characters, else single-quoted. */
export function shellQuote(value: string): string {
  if (value !== '' && SHELL_SAFE_RE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function xmlEscape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** A double-quoted HCL string: also neutralises `${…}` and `%{…}` template sequences. */
export function hclString(value: string): string {
  const body = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    // Function replacements: in a replacement string `$$` would collapse to a single `$`.
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
  return `"${body}"`;
}

/** Single-quoted Ruby / Groovy / Kotlin-safe literal: no interpolation inside single quotes (Ruby, Groovy). */
function singleQuoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** Kotlin strings interpolate `$name`; escape `$` as well. */
function kotlinString(value: string): string {
  return JSON.stringify(value).replace(/\$/g, '\\$');
}

/** JSON string literals are valid YAML double-quoted scalars and Python string literals. */
function jsonString(value: string): string {
  return JSON.stringify(value);
}

/** INI-style values (.npmrc, .repo files) cannot span lines. */
function iniValue(value: string): string {
  return value.replace(/[\r\n]/g, '');
}

function projectApi(input: SnippetInput, suffix: string): string {
  return `${apiBaseUrl(input.instanceUrl)}/projects/${input.projectId}/${suffix}`;
}

function hasVersion(version: string | null): version is string {
  return version !== null && version !== '';
}

type Builder = (input: SnippetInput) => Snippet[];

const BUILDERS: Record<string, Builder> = {
  npm: npmSnippets,
  maven: mavenSnippets,
  pypi: pypiSnippets,
  nuget: nugetSnippets,
  composer: composerSnippets,
  conan: conanSnippets,
  helm: helmSnippets,
  golang: goSnippets,
  generic: genericSnippets,
  debian: debianSnippets,
  rubygems: rubygemsSnippets,
  terraform_module: terraformSnippets,
  rpm: rpmSnippets,
  ml_model: mlModelSnippets,
};

/** Snippets for one package; empty for package types this code does not know. */
export function buildInstallSnippets(input: SnippetInput): Snippet[] {
  const builder = BUILDERS[input.packageType];
  return builder ? builder({ ...input, instanceUrl: normalizeInstanceUrl(input.instanceUrl) }) : [];
}

function npmSnippets(input: SnippetInput): Snippet[] {
  const registry = projectApi(input, 'packages/npm/');
  const authKey = `${registry.replace(/^https?:/, '')}:_authToken`;
  const scope = /^@[^/]+\//.test(input.name) ? input.name.slice(0, input.name.indexOf('/')) : undefined;
  const spec = hasVersion(input.version) ? `${input.name}@${input.version}` : input.name;
  if (scope) {
    return [
      {
        language: 'ini',
        title: l10n.t('npm: registry setup (.npmrc)'),
        text: `${iniValue(scope)}:registry=${registry}\n${authKey}=${TOKEN_PLACEHOLDER}`,
      },
      { language: 'shellscript', title: 'npm install', text: `npm install ${shellQuote(spec)}` },
      {
        language: 'yaml',
        title: l10n.t('Yarn: registry setup (.yarnrc.yml)'),
        text: [
          'npmScopes:',
          `  ${jsonString(scope.slice(1))}:`,
          `    npmRegistryServer: ${jsonString(registry)}`,
          `    npmAuthToken: ${jsonString(TOKEN_PLACEHOLDER)}`,
        ].join('\n'),
      },
      { language: 'shellscript', title: 'yarn add', text: `yarn add ${shellQuote(spec)}` },
    ];
  }
  return [
    { language: 'ini', title: l10n.t('npm: registry authentication (.npmrc)'), text: `${authKey}=${TOKEN_PLACEHOLDER}` },
    { language: 'shellscript', title: 'npm install', text: `npm install ${shellQuote(spec)} --registry=${shellQuote(registry)}` },
    {
      language: 'yaml',
      title: l10n.t('Yarn: registry setup (.yarnrc.yml)'),
      text: [`npmRegistryServer: ${jsonString(registry)}`, 'npmAlwaysAuth: true', `npmAuthToken: ${jsonString(TOKEN_PLACEHOLDER)}`].join('\n'),
    },
    { language: 'shellscript', title: 'yarn add', text: `yarn add ${shellQuote(spec)}` },
  ];
}

/** GitLab stores Maven packages as `group/path/artifactId`. */
export function mavenCoordinates(name: string): { groupId: string; artifactId: string } {
  const trimmed = name.replace(/^\/+|\/+$/g, '');
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return { groupId: '<groupId>', artifactId: trimmed };
  return { groupId: trimmed.slice(0, slash).split('/').join('.'), artifactId: trimmed.slice(slash + 1) };
}

function mavenSnippets(input: SnippetInput): Snippet[] {
  const url = projectApi(input, 'packages/maven');
  const { groupId, artifactId } = mavenCoordinates(input.name);
  const version = hasVersion(input.version) ? input.version : '<version>';
  const gav = `${groupId}:${artifactId}:${version}`;
  return [
    {
      language: 'xml',
      title: l10n.t('Maven: dependency (pom.xml)'),
      text: [
        '<dependency>',
        `  <groupId>${xmlEscape(groupId)}</groupId>`,
        `  <artifactId>${xmlEscape(artifactId)}</artifactId>`,
        `  <version>${xmlEscape(version)}</version>`,
        '</dependency>',
      ].join('\n'),
    },
    {
      language: 'xml',
      title: l10n.t('Maven: repository (pom.xml)'),
      text: [
        '<repositories>',
        '  <repository>',
        '    <id>gitlab-maven</id>',
        `    <url>${xmlEscape(url)}</url>`,
        '  </repository>',
        '</repositories>',
      ].join('\n'),
    },
    {
      language: 'xml',
      title: l10n.t('Maven: authentication (settings.xml)'),
      text: [
        '<settings>',
        '  <servers>',
        '    <server>',
        '      <id>gitlab-maven</id>',
        '      <configuration>',
        '        <httpHeaders>',
        '          <property>',
        '            <name>Private-Token</name>',
        `            <value>${xmlEscape(TOKEN_PLACEHOLDER)}</value>`,
        '          </property>',
        '        </httpHeaders>',
        '      </configuration>',
        '    </server>',
        '  </servers>',
        '</settings>',
      ].join('\n'),
    },
    {
      language: 'shellscript',
      title: l10n.t('Maven: fetch from the command line'),
      text: `mvn dependency:get -Dartifact=${shellQuote(gav)} -DremoteRepositories=${shellQuote(url)}`,
    },
    {
      language: 'groovy',
      title: 'Gradle (Groovy DSL)',
      text: [
        `implementation ${singleQuoted(gav)}`,
        '',
        'repositories {',
        '    maven {',
        `        url ${singleQuoted(url)}`,
        '        name "GitLab"',
        '        credentials(HttpHeaderCredentials) {',
        "            name = 'Private-Token'",
        `            value = ${singleQuoted(TOKEN_PLACEHOLDER)}`,
        '        }',
        '        authentication {',
        '            header(HttpHeaderAuthentication)',
        '        }',
        '    }',
        '}',
      ].join('\n'),
    },
    {
      language: 'kotlin',
      title: 'Gradle (Kotlin DSL)',
      text: [
        `implementation(${kotlinString(gav)})`,
        '',
        'repositories {',
        '    maven {',
        `        url = uri(${kotlinString(url)})`,
        '        name = "GitLab"',
        '        credentials(HttpHeaderCredentials::class) {',
        '            name = "Private-Token"',
        `            value = ${kotlinString(TOKEN_PLACEHOLDER)}`,
        '        }',
        '        authentication {',
        '            create("header", HttpHeaderAuthentication::class)',
        '        }',
        '    }',
        '}',
      ].join('\n'),
    },
  ];
}

function pypiSnippets(input: SnippetInput): Snippet[] {
  const index = projectApi(input, 'packages/pypi/simple');
  const requirement = hasVersion(input.version) ? `${input.name}==${input.version}` : input.name;
  return [
    { language: 'shellscript', title: 'pip install', text: `pip install ${shellQuote(requirement)} --index-url ${shellQuote(index)}` },
    { language: 'ini', title: l10n.t('pip: extra index (pip.conf)'), text: `[global]\nextra-index-url = ${iniValue(index)}` },
  ];
}

function nugetSnippets(input: SnippetInput): Snippet[] {
  const source = projectApi(input, 'packages/nuget/index.json');
  const versionArgs = hasVersion(input.version) ? ` --version ${shellQuote(input.version)}` : '';
  return [
    {
      language: 'shellscript',
      title: l10n.t('dotnet: add the GitLab source'),
      text: `dotnet nuget add source ${shellQuote(source)} --name gitlab --username ${USERNAME_PLACEHOLDER} --password ${TOKEN_PLACEHOLDER} --store-password-in-clear-text`,
    },
    { language: 'shellscript', title: 'dotnet add package', text: `dotnet add package ${shellQuote(input.name)}${versionArgs}` },
    {
      language: 'shellscript',
      title: 'NuGet CLI',
      text: `nuget install ${shellQuote(input.name)}${hasVersion(input.version) ? ` -Version ${shellQuote(input.version)}` : ''} -Source gitlab`,
    },
  ];
}

function composerGroup(input: SnippetInput): string {
  if (input.composerGroupId !== undefined) {
    return typeof input.composerGroupId === 'number' ? String(input.composerGroupId) : encodeURIComponent(input.composerGroupId);
  }
  const path = input.projectPath?.replace(/^\/+|\/+$/g, '');
  if (path && path.includes('/')) return encodeURIComponent(path.slice(0, path.lastIndexOf('/')));
  return '<group_id>';
}

function composerSnippets(input: SnippetInput): Snippet[] {
  const url = `${apiBaseUrl(input.instanceUrl)}/group/${composerGroup(input)}/-/packages/composer/packages.json`;
  const host = instanceHost(input.instanceUrl);
  const repository = JSON.stringify({ type: 'composer', url });
  const requirement = hasVersion(input.version) ? `${input.name}:${input.version}` : input.name;
  return [
    { language: 'shellscript', title: l10n.t('Composer: add the GitLab repository'), text: `composer config repositories.gitlab ${shellQuote(repository)}` },
    {
      language: 'shellscript',
      title: l10n.t('Composer: authentication'),
      text: `composer config gitlab-domains ${shellQuote(host)}\ncomposer config gitlab-token.${shellQuote(host)} ${TOKEN_PLACEHOLDER}`,
    },
    { language: 'shellscript', title: 'composer require', text: `composer require ${shellQuote(requirement)}` },
  ];
}

/** Conan's `name` is the full recipe on newer servers; older ones send the bare name. */
export function conanReference(name: string, version: string | null): string {
  if (name.includes('/')) return name;
  return hasVersion(version) ? `${name}/${version}` : name;
}

function conanSnippets(input: SnippetInput): Snippet[] {
  const remote = projectApi(input, 'packages/conan');
  return [
    {
      language: 'shellscript',
      title: l10n.t('Conan: add the GitLab remote'),
      text: `conan remote add gitlab ${shellQuote(remote)}\nconan remote login gitlab ${USERNAME_PLACEHOLDER} -p ${TOKEN_PLACEHOLDER}`,
    },
    {
      language: 'shellscript',
      title: 'conan install',
      text: `conan install --requires=${shellQuote(conanReference(input.name, input.version))} --remote=gitlab`,
    },
  ];
}

function helmSnippets(input: SnippetInput): Snippet[] {
  // The REST API does not say which channel a chart was pushed to; `stable` is GitLab's default.
  const repo = projectApi(input, 'packages/helm/stable');
  const alias = `gitlab-${input.projectId}`;
  const versionArgs = hasVersion(input.version) ? ` --version ${shellQuote(input.version)}` : '';
  return [
    {
      language: 'shellscript',
      title: l10n.t('Helm: add the repository (channel "stable")'),
      text: `helm repo add --username ${USERNAME_PLACEHOLDER} --password ${TOKEN_PLACEHOLDER} ${alias} ${shellQuote(repo)}\nhelm repo update`,
    },
    {
      language: 'shellscript',
      title: 'helm install',
      text: `helm install <release_name> ${shellQuote(`${alias}/${input.name}`)}${versionArgs}`,
    },
  ];
}

function goSnippets(input: SnippetInput): Snippet[] {
  const proxy = projectApi(input, 'packages/go');
  const host = instanceHost(input.instanceUrl);
  const target = hasVersion(input.version) ? `${input.name}@${input.version}` : input.name;
  return [
    {
      language: 'shellscript',
      title: l10n.t('Go: use the GitLab module proxy'),
      text: [
        `export GOPROXY=${shellQuote(`${proxy},https://proxy.golang.org,direct`)}`,
        `export GONOSUMDB=${shellQuote(input.name)}`,
      ].join('\n'),
    },
    {
      language: 'properties',
      title: l10n.t('Go: authentication (~/.netrc)'),
      text: `machine ${iniValue(host)} login ${USERNAME_PLACEHOLDER} password ${TOKEN_PLACEHOLDER}`,
    },
    { language: 'shellscript', title: 'go get', text: `go get ${shellQuote(target)}` },
  ];
}

const MAX_GENERIC_FILES = 50;

/** Path under `…/generic/:name/:version/` for a stored file name (which may hold `%2F` sub-paths). */
function genericFilePath(fileName: string): { path: string; output: string } {
  const segments = displayFileName(fileName).split('/').filter((s) => s.length > 0);
  const last = segments[segments.length - 1] ?? '';
  // Never let a stored name steer curl's output outside the current directory.
  const output = last === '' || last === '.' || last === '..' ? 'download' : last;
  return { path: segments.map((s) => encodeURIComponent(s)).join('/'), output };
}

function genericSnippets(input: SnippetInput): Snippet[] {
  const version = hasVersion(input.version) ? input.version : '<version>';
  const base = projectApi(input, `packages/generic/${encodeURIComponent(input.name)}/${encodeURIComponent(version)}`);
  const header = `--header "PRIVATE-TOKEN: ${TOKEN_PLACEHOLDER}"`;
  const files = input.files ?? [];
  if (files.length === 0) {
    return [
      {
        language: 'shellscript',
        title: l10n.t('Download a file (curl)'),
        text: `curl ${header} --location --output <file_name> ${shellQuote(`${base}/`)}<file_name>`,
      },
    ];
  }
  const commands = files.slice(0, MAX_GENERIC_FILES).map((file) => {
    const { path, output } = genericFilePath(file.file_name);
    return `curl ${header} --location --output ${shellQuote(output)} ${shellQuote(`${base}/${path}`)}`;
  });
  if (files.length > MAX_GENERIC_FILES) commands.push(`# … and ${files.length - MAX_GENERIC_FILES} more files`);
  return [{ language: 'shellscript', title: files.length === 1 ? l10n.t('Download the file (curl)') : l10n.t('Download the files (curl)'), text: commands.join('\n') }];
}

function debianSnippets(input: SnippetInput): Snippet[] {
  const repo = projectApi(input, 'packages/debian');
  const keyUrl = projectApi(input, 'debian_distributions/<codename>/key.asc');
  const host = instanceHost(input.instanceUrl);
  const target = hasVersion(input.version) ? `${input.name}=${input.version}` : input.name;
  const source = `deb [ signed-by=/etc/apt/keyrings/<codename>-archive-keyring.asc ] ${repo} <codename> <component>`;
  return [
    {
      language: 'shellscript',
      title: l10n.t('APT: credentials (private projects)'),
      text: `echo ${shellQuote(`machine ${host} login ${USERNAME_PLACEHOLDER} password ${TOKEN_PLACEHOLDER}`)} | sudo tee /etc/apt/auth.conf.d/gitlab_project.conf`,
    },
    {
      language: 'shellscript',
      title: l10n.t('APT: add the project as a source'),
      text: [
        'sudo mkdir -p /etc/apt/keyrings',
        `sudo curl --fail --silent --show-error --header "PRIVATE-TOKEN: ${TOKEN_PLACEHOLDER}" --output /etc/apt/keyrings/<codename>-archive-keyring.asc --url ${shellQuote(keyUrl)}`,
        `echo ${shellQuote(source)} | sudo tee /etc/apt/sources.list.d/gitlab_project.list`,
        'sudo apt-get update',
      ].join('\n'),
    },
    { language: 'shellscript', title: 'apt-get install', text: `sudo apt-get -y install -t <codename> ${shellQuote(target)}` },
  ];
}

function rubygemsSnippets(input: SnippetInput): Snippet[] {
  const source = projectApi(input, 'packages/rubygems');
  const versionArgs = hasVersion(input.version) ? ` --version ${shellQuote(input.version)}` : '';
  return [
    { language: 'shellscript', title: 'gem install', text: `gem install ${shellQuote(input.name)}${versionArgs} --source ${shellQuote(source)}` },
    {
      language: 'ruby',
      title: 'Bundler (Gemfile)',
      text: [
        `source ${singleQuoted(source)} do`,
        `  gem ${singleQuoted(input.name)}${hasVersion(input.version) ? `, ${singleQuoted(input.version)}` : ''}`,
        'end',
      ].join('\n'),
    },
    { language: 'yaml', title: l10n.t('RubyGems: credentials (~/.gem/credentials)'), text: `---\n${jsonString(source)}: ${jsonString(TOKEN_PLACEHOLDER)}` },
  ];
}

/** Terraform module packages are named `module-name/system`. */
export function terraformModuleParts(name: string): { moduleName: string; system: string } {
  const slash = name.lastIndexOf('/');
  if (slash < 0) return { moduleName: name, system: '<system>' };
  return { moduleName: name.slice(0, slash), system: name.slice(slash + 1) };
}

function terraformSnippets(input: SnippetInput): Snippet[] {
  const host = instanceHost(input.instanceUrl);
  const { moduleName, system } = terraformModuleParts(input.name);
  const namespace = input.projectPath?.replace(/^\/+/, '').split('/')[0] || '<namespace>';
  const label = moduleName.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^(?=[0-9-])/, 'm_') || 'module';
  const body = [`module ${hclString(label)} {`, `  source  = ${hclString(`${host}/${namespace}/${moduleName}/${system}`)}`];
  if (hasVersion(input.version)) body.push(`  version = ${hclString(input.version)}`);
  body.push('}');
  return [
    { language: 'terraform', title: l10n.t('Terraform: module source'), text: body.join('\n') },
    {
      language: 'terraform',
      title: l10n.t('Terraform: credentials (~/.terraformrc)'),
      text: `credentials ${hclString(host)} {\n  token = ${hclString(TOKEN_PLACEHOLDER)}\n}`,
    },
  ];
}

function rpmSnippets(input: SnippetInput): Snippet[] {
  const baseurl = projectApi(input, 'packages/rpm');
  const repoId = `gitlab-${input.projectId}`;
  const target = hasVersion(input.version) ? `${input.name}-${input.version}` : input.name;
  return [
    {
      language: 'ini',
      title: l10n.t('DNF: repository ({0})', `/etc/yum.repos.d/${repoId}.repo`),
      text: [
        `[${repoId}]`,
        `name=GitLab project ${input.projectId}`,
        `baseurl=${iniValue(baseurl)}`,
        'enabled=1',
        `username=${USERNAME_PLACEHOLDER}`,
        `password=${TOKEN_PLACEHOLDER}`,
      ].join('\n'),
    },
    { language: 'shellscript', title: 'dnf install', text: `sudo dnf install ${shellQuote(target)}` },
  ];
}

function mlModelSnippets(input: SnippetInput): Snippet[] {
  const trackingUri = projectApi(input, 'ml/mlflow');
  const lines = ['from mlflow import MlflowClient', '', 'client = MlflowClient()'];
  if (hasVersion(input.version)) {
    lines.push(`model_version = client.get_model_version(${jsonString(input.name)}, ${jsonString(input.version)})`);
  } else {
    lines.push(`model = client.get_registered_model(${jsonString(input.name)})`);
  }
  return [
    {
      language: 'shellscript',
      title: l10n.t('MLflow: point the client at GitLab'),
      text: `export MLFLOW_TRACKING_URI=${shellQuote(trackingUri)}\nexport MLFLOW_TRACKING_TOKEN=${TOKEN_PLACEHOLDER}`,
    },
    { language: 'python', title: l10n.t('MLflow: fetch the model'), text: lines.join('\n') },
  ];
}
