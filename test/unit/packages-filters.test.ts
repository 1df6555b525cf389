import * as assert from 'node:assert/strict';
import { describeFilter, filterToQuery, filtersPackages, isEmptyFilter, mergeFilters, nameContains, parseFilter, queryToFilter, type PackageFilter } from '../../src/packages/filters';

describe('packages/filters', () => {
  it('filter → query maps every field and drops blanks', () => {
    const filter: PackageFilter = { packageType: 'npm', name: ' ui ', version: '1.2.3', status: 'error', orderBy: 'name', sort: 'desc' };
    assert.deepEqual(filterToQuery(filter), {
      packageType: 'npm',
      packageName: 'ui',
      packageVersion: '1.2.3',
      status: 'error',
      orderBy: 'name',
      sort: 'desc',
    });
    assert.deepEqual(filterToQuery({ name: '   ', version: '' }), {});
  });

  it('project_path ordering is dropped for project roots only', () => {
    assert.deepEqual(filterToQuery({ orderBy: 'project_path' }, { scope: 'project' }), {});
    assert.deepEqual(filterToQuery({ orderBy: 'project_path' }, { scope: 'group' }), { orderBy: 'project_path' });
  });

  it('query → filter round-trips', () => {
    const filter: PackageFilter = { packageType: 'helm', name: 'chart', version: '0.1.0', status: 'deprecated', orderBy: 'version', sort: 'asc' };
    assert.deepEqual(queryToFilter(filterToQuery(filter)), filter);
    assert.deepEqual(queryToFilter({ includeVersionless: true, excludeSubgroups: true }), {});
  });

  it('parseFilter validates untrusted values field by field', () => {
    assert.deepEqual(parseFilter(null), {});
    assert.deepEqual(parseFilter('npm'), {});
    assert.deepEqual(
      parseFilter({ packageType: 'cargo', name: 42, version: ' 1.0 ', status: 'default', orderBy: 'size', sort: 'DESC', extra: true }),
      { version: '1.0', status: 'default' },
    );
    assert.deepEqual(parseFilter({ packageType: 'ml_model', orderBy: 'project_path', sort: 'desc' }), { packageType: 'ml_model', orderBy: 'project_path', sort: 'desc' });
  });

  it('container registry fields: validated, described, never sent as package query', () => {
    const filter = parseFilter({ image: ' Api ', tag: 'v1', name: 'ui' });
    assert.deepEqual(filter, { name: 'ui', image: 'Api', tag: 'v1' });
    assert.equal(describeFilter(filter), 'name~ui · image~Api · tag~v1');
    assert.deepEqual(filterToQuery(filter), { packageName: 'ui' });
    assert.deepEqual(parseFilter({ image: 3, tag: '  ' }), {});
    assert.equal(isEmptyFilter({ tag: 'v1' }), false);
    assert.equal(filtersPackages({ image: 'api', tag: 'v1' }), false);
    assert.equal(filtersPackages({ image: 'api', packageType: 'npm' }), true);
    assert.deepEqual(mergeFilters({ image: 'api', tag: 'v1' }, { tag: 'v2' }), { image: 'api', tag: 'v2' });
    assert.equal(nameContains('acme/platform/API', 'api'), true);
    assert.equal(nameContains('acme/web-app', 'api'), false);
    assert.equal(nameContains('anything', undefined), true);
  });

  it('mergeFilters: the root wins field by field', () => {
    const view: PackageFilter = { packageType: 'npm', name: 'ui', sort: 'desc' };
    const root: PackageFilter = { packageType: 'maven', orderBy: 'name' };
    assert.deepEqual(mergeFilters(view, root), { packageType: 'maven', name: 'ui', orderBy: 'name', sort: 'desc' });
    assert.deepEqual(mergeFilters({}, {}), {});
    assert.deepEqual(mergeFilters(view, {}), view);
  });

  it('isEmptyFilter', () => {
    assert.equal(isEmptyFilter({}), true);
    assert.equal(isEmptyFilter({ sort: 'asc' }), false);
  });

  it('describeFilter', () => {
    assert.equal(describeFilter({ packageType: 'npm', name: 'ui', sort: 'desc' }), 'npm · name~ui · desc');
    assert.equal(
      describeFilter({ packageType: 'terraform_module', name: 'net', version: '1.0', status: 'pending_destruction', orderBy: 'created_at', sort: 'asc' }),
      'Terraform module · name~net · version=1.0 · pending deletion · by created · asc',
    );
    assert.equal(describeFilter({}), '');
  });
});
