import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HadoopConfiguration, parseHadoopResource, readHadoopResource } from '../../../../rm/common/hadoop-configuration.ts';
import { ConfigError } from '../../../../rm/common/config.ts';
import { rmProperties, unknownYarnKeyWarnings } from '../../../../rm/config.ts';

const xml = (body: string): string => `<?xml version="1.0"?>\n<configuration>\n${body}\n</configuration>\n`;
const prop = (name: string, value: string, extra = ''): string => `<property><name>${name}</name><value>${value}</value>${extra}</property>`;

describe('Hadoop configuration XML', () => {
  it('decodes entities, character references, CDATA, and ignores markup inside <description>', () => {
    const r = parseHadoopResource(
      xml(`<!-- a comment with <property> inside -->
  <property>
    <name>a</name><value><![CDATA[x<y & z]]></value>
    <description>Queues <b>a</b> &amp; <i>b</i>, see <a href="x">docs</a></description>
  </property>
  ${prop('b', '&#65;&#x42;&lt;&gt;&quot;&apos;&amp;')}
  ${prop('c', 'one<!-- inline comment -->two')}`),
      'yarn-site.xml',
    );
    expect(r.properties.get('a')).toBe('x<y & z');
    expect(r.properties.get('b')).toBe(`AB<>"'&`);
    expect(r.properties.get('c')).toBe('onetwo');
    expect([...r.properties.keys()]).toEqual(['a', 'b', 'c']);
  });

  it('takes name, value and final as attributes of <property> too', () => {
    const r = parseHadoopResource(xml(`<property name="yarn.acl.enable" value="true" final="true"/>`), 'x.xml');
    expect(r.properties.get('yarn.acl.enable')).toBe('true');
    expect(r.finals.has('yarn.acl.enable')).toBe(true);
  });

  it('names the file, line and column of malformed XML', () => {
    const bad = '<configuration>\n  <property><name>a</name><value>1</value></propety>\n</configuration>';
    expect(() => parseHadoopResource(bad, '/etc/weft/yarn-site.xml')).toThrow(/^\/etc\/weft\/yarn-site\.xml:2:\d+: malformed XML: .*propety/);
  });

  it('keeps a final value against a later declaration in the same file and warns once', () => {
    const r = parseHadoopResource(xml(`${prop('k', 'first', '<final>true</final>')}${prop('k', 'second')}${prop('k', 'first')}`), 'site.xml');
    expect(r.properties.get('k')).toBe('first');
    expect(r.warnings).toEqual(['site.xml:an attempt to override final parameter: k;  Ignoring.']);
  });
});

describe('HadoopConfiguration', () => {
  const resource = (source: string, body: string) => parseHadoopResource(xml(body), source);

  it('lets later resources win except over a final key, and a set() win over both', () => {
    const conf = new HadoopConfiguration()
      .addResource(resource('core.xml', `${prop('a', '1')}${prop('f', 'locked', '<final>true</final>')}`))
      .addResource(resource('site.xml', `${prop('a', '2')}${prop('f', 'changed')}`));
    expect(conf.get('a')).toBe('2');
    expect(conf.get('f')).toBe('locked');
    expect(conf.isFinal('f')).toBe(true);
    expect(conf.warnings).toEqual(['site.xml:an attempt to override final parameter: f;  Ignoring.']);
    conf.set('f', 'from --conf');
    expect(conf.get('f')).toBe('from --conf');
  });

  it('expands ${key}, ${env.NAME} with defaults and system properties as Hadoop does', () => {
    process.env['WEFT_TEST_SET'] = 'set';
    process.env['WEFT_TEST_EMPTY'] = '';
    delete process.env['WEFT_TEST_UNSET'];
    const conf = new HadoopConfiguration((name) => (name === 'user.name' ? 'alice' : undefined))
      .set('yarn.resourcemanager.hostname', 'rm1')
      .set('yarn.resourcemanager.webapp.address', '${yarn.resourcemanager.hostname}:8088')
      .set('chain', '${yarn.resourcemanager.webapp.address}/ws')
      .set('env', '${env.WEFT_TEST_SET}|${env.WEFT_TEST_UNSET:-d1}|${env.WEFT_TEST_EMPTY:-d2}|${env.WEFT_TEST_EMPTY-d3}|${env.WEFT_TEST_UNSET-d4}')
      .set('dir', '/tmp/hadoop-${user.name}')
      .set('unbound', 'x-${no.such.key}-y')
      .set('self', 'a${self}');
    expect(conf.get('yarn.resourcemanager.webapp.address')).toBe('rm1:8088');
    expect(conf.get('chain')).toBe('rm1:8088/ws');
    expect(conf.get('env')).toBe('set|d1|d2||d4');
    expect(conf.get('dir')).toBe('/tmp/hadoop-alice');
    expect(conf.get('unbound')).toBe('x-${no.such.key}-y');
    expect(conf.get('self')).toBe('a${self}');
    expect(conf.getRaw('chain')).toBe('${yarn.resourcemanager.webapp.address}/ws');
  });

  it('refuses a value that needs more than 20 expansions', () => {
    const conf = new HadoopConfiguration(() => undefined);
    for (let i = 0; i < 25; i++) conf.set(`k${i}`, `\${k${i + 1}}`);
    conf.set('k25', 'end');
    expect(() => conf.get('k0')).toThrow('Variable substitution depth too large: 20 ${k1}');
    expect(conf.get('k10')).toBe('end');
  });
});

describe('configuration files on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'weft-hadoop-conf-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads xi:include relative to the including file, with xi:fallback for a missing one', () => {
    writeFileSync(join(dir, 'queues.xml'), xml(prop('yarn.scheduler.capacity.root.queues', 'a,b')));
    writeFileSync(
      join(dir, 'capacity-scheduler.xml'),
      `<configuration xmlns:xi="http://www.w3.org/2001/XInclude">
  ${prop('before', '1')}
  <xi:include href="queues.xml"/>
  <xi:include href="missing.xml"><xi:fallback>${prop('fallback', 'used')}</xi:fallback></xi:include>
</configuration>`,
    );
    const r = readHadoopResource(join(dir, 'capacity-scheduler.xml'));
    expect(Object.fromEntries(r.properties)).toEqual({ before: '1', 'yarn.scheduler.capacity.root.queues': 'a,b', fallback: 'used' });
  });

  it('names the include that cannot be read when there is no fallback', () => {
    writeFileSync(join(dir, 'site.xml'), `<configuration xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="gone.xml"/></configuration>`);
    expect(() => readHadoopResource(join(dir, 'site.xml'))).toThrow(/Fetch fail on include for 'gone\.xml' with no fallback/);
  });

  it('rmProperties: final keys hold across files, --conf wins, values are expanded, warnings are reported', () => {
    writeFileSync(join(dir, 'yarn-site.xml'), xml(`${prop('yarn.resourcemanager.hostname', 'rm1', '<final>true</final>')}${prop('yarn.resourcemanager.address', '${yarn.resourcemanager.hostname}:8032')}`));
    writeFileSync(join(dir, 'capacity-scheduler.xml'), xml(prop('yarn.resourcemanager.hostname', 'other')));
    const warnings: string[] = [];
    const props = rmProperties([join(dir, 'yarn-site.xml'), join(dir, 'capacity-scheduler.xml')], ['yarn.acl.enable=true'], (w) => warnings.push(w));
    expect(props.get('yarn.resourcemanager.address')).toBe('rm1:8032');
    expect(props.get('yarn.acl.enable')).toBe('true');
    expect(warnings).toEqual([`${join(dir, 'capacity-scheduler.xml')}:an attempt to override final parameter: yarn.resourcemanager.hostname;  Ignoring.`]);
    writeFileSync(join(dir, 'broken.xml'), '<configuration><property>');
    expect(() => rmProperties([join(dir, 'broken.xml')], [])).toThrow(ConfigError);
  });
});

describe('unknown yarn.* keys', () => {
  it('warn with the nearest key the ResourceManager reads, and leave NodeManager and queue keys alone', () => {
    const props = new Map([
      ['yarn.resourcemanager.schedular.class', 'x'],
      ['yarn.resourcemanager.scheduler.class', 'y'],
      ['yarn.nodemanager.vmem-check-enabled', 'false'],
      ['yarn.scheduler.capacity.root.queues', 'a'],
      ['hadoop.tmp.dir', '/tmp'],
    ]);
    expect(unknownYarnKeyWarnings(props)).toEqual([
      'yarn.resourcemanager.schedular.class is not a key the ResourceManager reads, ignored (nearest known key: yarn.resourcemanager.scheduler.class)',
    ]);
  });
});
