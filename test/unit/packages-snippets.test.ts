import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { PACKAGE_TYPES } from '../../src/gitlab/types';
import {
  TOKEN_PLACEHOLDER,
  buildInstallSnippets,
  conanReference,
  hclString,
  mavenCoordinates,
  shellQuote,
  terraformModuleParts,
  xmlEscape,
  type Snippet,
  type SnippetInput,
} from '../../src/packages/snippets';

const I = 'https://gitlab.example.com';
const API = `${I}/api/v4/projects/42`;

function snippets(input: Partial<SnippetInput> & Pick<SnippetInput, 'packageType' | 'name'>): Snippet[] {
  return buildInstallSnippets({ instanceUrl: I, projectId: 42, version: '1.2.3', ...input });
}

function byTitle(list: Snippet[], title: string): Snippet {
  const found = list.find((s) => s.title === title);
  assert.ok(found, `no snippet titled "${title}" in ${list.map((s) => s.title).join(', ')}`);
  return found;
}

/** Runs `printf '%s\n' <args>` through a real shell so quoting is checked by sh itself. */
function shellWords(args: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\n' ${args}`], { encoding: 'utf8' });
  return out.split('\n').slice(0, -1);
}

describe('packages/snippets', () => {
  describe('quoting helpers', () => {
    it('shellQuote survives a real shell', () => {
      const values = ['plain-1.0', "it's", '$(rm -rf ~)', '`id`', 'a b', '; echo pwned', '"\\', '', 'ünïcødé 📦', '*'];
      for (const v of values) assert.deepEqual(shellWords(shellQuote(v)), [v], v);
      assert.equal(shellQuote('@scope/name@1.0.0'), '@scope/name@1.0.0');
      assert.equal(shellQuote('https://h/api/v4/projects/1/packages/pypi/simple'), 'https://h/api/v4/projects/1/packages/pypi/simple');
    });
    it('xmlEscape and hclString', () => {
      assert.equal(xmlEscape(`<a href="x">&'`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
      assert.equal(hclString('a"b\\c${var.x}%{if}\n'), '"a\\"b\\\\c$${var.x}%%{if}\\n"');
    });
    it('name helpers', () => {
      assert.deepEqual(mavenCoordinates('com/acme/tools/my-app'), { groupId: 'com.acme.tools', artifactId: 'my-app' });
      assert.deepEqual(mavenCoordinates('solo'), { groupId: '<groupId>', artifactId: 'solo' });
      assert.equal(conanReference('zlib/1.3@acme/stable', '1.3'), 'zlib/1.3@acme/stable');
      assert.equal(conanReference('zlib', '1.3'), 'zlib/1.3');
      assert.deepEqual(terraformModuleParts('vpc/aws'), { moduleName: 'vpc', system: 'aws' });
      assert.deepEqual(terraformModuleParts('vpc'), { moduleName: 'vpc', system: '<system>' });
    });
  });

  it('every package type has at least one snippet; unknown types none', () => {
    for (const type of PACKAGE_TYPES) {
      const list = snippets({ packageType: type, name: 'com/acme/thing', files: [{ file_name: 'thing.bin' }] });
      assert.ok(list.length > 0, type);
      for (const s of list) {
        assert.ok(s.title && s.text && s.language, `${type}: ${JSON.stringify(s)}`);
        assert.ok(!/glpat-|PRIVATE-TOKEN: (?!<your_access_token>)/.test(s.text), `${type}: real-looking token`);
      }
    }
    assert.deepEqual(snippets({ packageType: 'cargo', name: 'x' }), []);
  });

  it('uses the sub-path of the instance in every URL', () => {
    for (const type of PACKAGE_TYPES) {
      const list = buildInstallSnippets({ instanceUrl: 'https://host/gitlab/', projectId: 7, packageType: type, name: 'a/b', version: '1', projectPath: 'grp/proj' });
      const text = list.map((s) => s.text).join('\n');
      if (text.includes('/api/v4')) {
        assert.ok(!/https:\/\/host\/api\/v4/.test(text), `${type} lost the sub-path`);
        assert.ok(text.includes('https://host/gitlab/api/v4/'), type);
      }
    }
  });

  describe('npm', () => {
    it('scoped: .npmrc with the scope registry line, npm and yarn', () => {
      const list = snippets({ packageType: 'npm', name: '@acme/ui' });
      assert.equal(
        byTitle(list, 'npm: registry setup (.npmrc)').text,
        `@acme:registry=${API}/packages/npm/\n//gitlab.example.com/api/v4/projects/42/packages/npm/:_authToken=${TOKEN_PLACEHOLDER}`,
      );
      assert.equal(byTitle(list, 'npm install').text, 'npm install @acme/ui@1.2.3');
      assert.equal(byTitle(list, 'yarn add').text, 'yarn add @acme/ui@1.2.3');
      const yarnrc = byTitle(list, 'Yarn: registry setup (.yarnrc.yml)').text;
      assert.ok(yarnrc.includes('npmScopes:\n  "acme":\n'));
      assert.ok(yarnrc.includes(`npmRegistryServer: "${API}/packages/npm/"`));
    });
    it('unscoped: --registry on the command', () => {
      const list = snippets({ packageType: 'npm', name: 'left-pad', version: null });
      assert.equal(byTitle(list, 'npm install').text, `npm install left-pad --registry=${API}/packages/npm/`);
    });
  });

  it('maven: pom dependency + repository, settings, gradle groovy + kotlin', () => {
    const list = snippets({ packageType: 'maven', name: 'com/acme/my-app', version: '1.0-SNAPSHOT' });
    assert.equal(
      byTitle(list, 'Maven: dependency (pom.xml)').text,
      '<dependency>\n  <groupId>com.acme</groupId>\n  <artifactId>my-app</artifactId>\n  <version>1.0-SNAPSHOT</version>\n</dependency>',
    );
    assert.ok(byTitle(list, 'Maven: repository (pom.xml)').text.includes(`<url>${API}/packages/maven</url>`));
    assert.ok(byTitle(list, 'Maven: authentication (settings.xml)').text.includes(`<value>&lt;your_access_token&gt;</value>`));
    assert.ok(byTitle(list, 'Maven: fetch from the command line').text.startsWith('mvn dependency:get -Dartifact=com.acme:my-app:1.0-SNAPSHOT'));
    const groovy = byTitle(list, 'Gradle (Groovy DSL)').text;
    assert.ok(groovy.startsWith("implementation 'com.acme:my-app:1.0-SNAPSHOT'"));
    assert.ok(groovy.includes(`url '${API}/packages/maven'`));
    const kotlin = byTitle(list, 'Gradle (Kotlin DSL)').text;
    assert.ok(kotlin.startsWith('implementation("com.acme:my-app:1.0-SNAPSHOT")'));
    assert.ok(kotlin.includes(`url = uri("${API}/packages/maven")`));
    assert.equal(byTitle(list, 'Gradle (Kotlin DSL)').language, 'kotlin');
  });

  it('maven escapes hostile coordinates for XML, Groovy and Kotlin', () => {
    const list = snippets({ packageType: 'maven', name: 'com/evil/<x>&"', version: "1'${x}" });
    assert.ok(byTitle(list, 'Maven: dependency (pom.xml)').text.includes('<artifactId>&lt;x&gt;&amp;&quot;</artifactId>'));
    assert.ok(byTitle(list, 'Gradle (Groovy DSL)').text.includes("1\\'${x}'"));
    assert.ok(byTitle(list, 'Gradle (Kotlin DSL)').text.includes("1'\\${x}"));
  });

  it('pypi: pip with --index-url', () => {
    const list = snippets({ packageType: 'pypi', name: 'my_pkg' });
    assert.equal(byTitle(list, 'pip install').text, `pip install my_pkg==1.2.3 --index-url ${API}/packages/pypi/simple`);
    assert.equal(byTitle(list, 'pip: extra index (pip.conf)').text, `[global]\nextra-index-url = ${API}/packages/pypi/simple`);
  });

  it('nuget: source add + package', () => {
    const list = snippets({ packageType: 'nuget', name: 'Acme.Core' });
    assert.ok(byTitle(list, 'dotnet: add the GitLab source').text.startsWith(`dotnet nuget add source ${API}/packages/nuget/index.json --name gitlab`));
    assert.equal(byTitle(list, 'dotnet add package').text, 'dotnet add package Acme.Core --version 1.2.3');
    assert.equal(byTitle(list, 'NuGet CLI').text, 'nuget install Acme.Core -Version 1.2.3 -Source gitlab');
  });

  it('composer: group-level repository from the project namespace', () => {
    const list = snippets({ packageType: 'composer', name: 'acme/lib', projectPath: 'acme/php/lib' });
    const repo = byTitle(list, 'Composer: add the GitLab repository').text;
    assert.equal(repo, `composer config repositories.gitlab '{"type":"composer","url":"${I}/api/v4/group/acme%2Fphp/-/packages/composer/packages.json"}'`);
    assert.equal(byTitle(list, 'composer require').text, 'composer require acme/lib:1.2.3');
    assert.ok(byTitle(list, 'Composer: authentication').text.includes(`composer config gitlab-token.gitlab.example.com ${TOKEN_PLACEHOLDER}`));
    const withId = snippets({ packageType: 'composer', name: 'acme/lib', composerGroupId: 5 });
    assert.ok(byTitle(withId, 'Composer: add the GitLab repository').text.includes('/group/5/-/packages/composer/packages.json'));
    const unknown = snippets({ packageType: 'composer', name: 'acme/lib' });
    assert.ok(byTitle(unknown, 'Composer: add the GitLab repository').text.includes('/group/<group_id>/'));
  });

  it('conan: remote + install with the full recipe', () => {
    const list = snippets({ packageType: 'conan', name: 'zlib/1.3@acme/stable', version: '1.3', conanPackageName: 'zlib' });
    assert.equal(byTitle(list, 'Conan: add the GitLab remote').text.split('\n')[0], `conan remote add gitlab ${API}/packages/conan`);
    assert.equal(byTitle(list, 'conan install').text, 'conan install --requires=zlib/1.3@acme/stable --remote=gitlab');
  });

  it('helm: repo add + install', () => {
    const list = snippets({ packageType: 'helm', name: 'my-chart' });
    assert.ok(byTitle(list, 'Helm: add the repository (channel "stable")').text.includes(`gitlab-42 ${API}/packages/helm/stable`));
    assert.equal(byTitle(list, 'helm install').text, 'helm install <release_name> gitlab-42/my-chart --version 1.2.3');
  });

  it('go: GOPROXY / GONOSUMDB + go get', () => {
    const list = snippets({ packageType: 'golang', name: 'gitlab.example.com/acme/mod', version: 'v1.2.3' });
    assert.equal(
      byTitle(list, 'Go: use the GitLab module proxy').text,
      `export GOPROXY=${API}/packages/go,https://proxy.golang.org,direct\nexport GONOSUMDB=gitlab.example.com/acme/mod`,
    );
    assert.equal(byTitle(list, 'go get').text, 'go get gitlab.example.com/acme/mod@v1.2.3');
    assert.ok(byTitle(list, 'Go: authentication (~/.netrc)').text.startsWith('machine gitlab.example.com login'));
  });

  describe('generic', () => {
    it('one curl per file, sub-paths decoded and re-encoded per segment', () => {
      const list = snippets({ packageType: 'generic', name: 'my tool', files: [{ file_name: 'tool.tar.gz' }, { file_name: 'bin%2Flinux%2Ftool' }] });
      assert.equal(list.length, 1);
      const lines = list[0].text.split('\n');
      assert.deepEqual(lines, [
        `curl --header "PRIVATE-TOKEN: ${TOKEN_PLACEHOLDER}" --location --output tool.tar.gz ${API}/packages/generic/my%20tool/1.2.3/tool.tar.gz`,
        `curl --header "PRIVATE-TOKEN: ${TOKEN_PLACEHOLDER}" --location --output tool ${API}/packages/generic/my%20tool/1.2.3/bin/linux/tool`,
      ]);
    });
    it('hostile file names cannot escape quoting or the current directory', () => {
      const list = snippets({ packageType: 'generic', name: 'x', files: [{ file_name: "..%2F..%2F.bashrc'; rm -rf ~;'" }, { file_name: '..' }] });
      const [first, second] = list[0].text.split('\n');
      const words = shellWords(first.replace(/^curl /, '').replace(`"PRIVATE-TOKEN: ${TOKEN_PLACEHOLDER}"`, 'HEADER'));
      assert.deepEqual(words.slice(0, 5), ['--header', 'HEADER', '--location', '--output', ".bashrc'; rm -rf ~;'"]);
      assert.ok(words[5].startsWith(`${API}/packages/generic/x/1.2.3/`), words[5]);
      assert.equal(words.length, 6);
      assert.ok(second.includes('--output download '));
    });
    it('without files: a template', () => {
      const list = snippets({ packageType: 'generic', name: 'x', files: [] });
      assert.ok(list[0].text.includes('--output <file_name>'));
    });
    it('caps very long file lists', () => {
      const files = Array.from({ length: 60 }, (_, i) => ({ file_name: `f${i}` }));
      const lines = snippets({ packageType: 'generic', name: 'x', files })[0].text.split('\n');
      assert.equal(lines.length, 51);
      assert.equal(lines[50], '# … and 10 more files');
    });
  });

  it('debian: source with codename/component placeholders, install', () => {
    const list = snippets({ packageType: 'debian', name: 'hello' });
    const source = byTitle(list, 'APT: add the project as a source').text;
    assert.ok(source.includes(`${API}/packages/debian <codename> <component>`));
    assert.ok(source.includes(`${API}/debian_distributions/<codename>/key.asc`));
    assert.equal(byTitle(list, 'apt-get install').text, 'sudo apt-get -y install -t <codename> hello=1.2.3');
  });

  it('rubygems: gem install, Gemfile, credentials', () => {
    const list = snippets({ packageType: 'rubygems', name: 'acme' });
    assert.equal(byTitle(list, 'gem install').text, `gem install acme --version 1.2.3 --source ${API}/packages/rubygems`);
    assert.equal(byTitle(list, 'Bundler (Gemfile)').text, `source '${API}/packages/rubygems' do\n  gem 'acme', '1.2.3'\nend`);
    assert.ok(byTitle(list, 'RubyGems: credentials (~/.gem/credentials)').text.includes(`"${API}/packages/rubygems": "${TOKEN_PLACEHOLDER}"`));
  });

  it('terraform: module source from host, top-level namespace, name and system', () => {
    const list = snippets({ packageType: 'terraform_module', name: 'vpc/aws', projectPath: 'infra/modules/vpc' });
    assert.equal(byTitle(list, 'Terraform: module source').text, 'module "vpc" {\n  source  = "gitlab.example.com/infra/vpc/aws"\n  version = "1.2.3"\n}');
    assert.ok(byTitle(list, 'Terraform: credentials (~/.terraformrc)').text.startsWith('credentials "gitlab.example.com" {'));
    const hostile = snippets({ packageType: 'terraform_module', name: 'x"}${file("passwd")}/aws' });
    const text = byTitle(hostile, 'Terraform: module source').text;
    assert.ok(text.includes('source  = "gitlab.example.com/<namespace>/x\\"}$${file(\\"passwd\\")}/aws"'), text);
    assert.ok(text.includes('<namespace>'));
  });

  it('rpm: repo file with placeholders, dnf install', () => {
    const list = snippets({ packageType: 'rpm', name: 'hello' });
    const repo = byTitle(list, 'DNF: repository (/etc/yum.repos.d/gitlab-42.repo)').text;
    assert.ok(repo.includes(`baseurl=${API}/packages/rpm`));
    assert.ok(repo.includes(`password=${TOKEN_PLACEHOLDER}`));
    assert.equal(byTitle(list, 'dnf install').text, 'sudo dnf install hello-1.2.3');
  });

  it('ml_model: MLflow tracking URI and client call', () => {
    const list = snippets({ packageType: 'ml_model', name: 'fraud "model"' });
    assert.equal(byTitle(list, 'MLflow: point the client at GitLab').text, `export MLFLOW_TRACKING_URI=${API}/ml/mlflow\nexport MLFLOW_TRACKING_TOKEN=${TOKEN_PLACEHOLDER}`);
    assert.ok(byTitle(list, 'MLflow: fetch the model').text.includes('client.get_model_version("fraud \\"model\\"", "1.2.3")'));
    const noVersion = snippets({ packageType: 'ml_model', name: 'm', version: null });
    assert.ok(byTitle(noVersion, 'MLflow: fetch the model').text.includes('client.get_registered_model("m")'));
  });

  it('hostile names never break out of shell commands', () => {
    // If quoting failed, the shell would run these and print the bare markers as words.
    const evil = '$(echo INJECTED)`echo TICK`;echo SEMI';
    const version = '1;echo VERSION_INJECTED';
    for (const type of PACKAGE_TYPES) {
      for (const s of snippets({ packageType: type, name: evil, version, files: [{ file_name: evil }] })) {
        if (s.language !== 'shellscript') continue;
        for (const line of s.text.split('\n')) {
          if (line.startsWith('#')) continue;
          const cleaned = line.replace(/<[a-z_]+>/g, 'PLACEHOLDER').replace(/ \| sudo tee .*$/, '');
          const words = shellWords(cleaned);
          for (const marker of ['INJECTED', 'TICK', 'SEMI', 'VERSION_INJECTED']) {
            assert.ok(!words.includes(marker), `${type} "${s.title}": ${line}`);
          }
        }
      }
    }
  });
});
