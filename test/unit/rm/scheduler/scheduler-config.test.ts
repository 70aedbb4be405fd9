import { describe, expect, it } from 'vitest';
import { parseHadoopConfiguration } from '../../../../rm/common/hadoop-configuration.ts';

describe('Hadoop configuration parser', () => {
  it('reads <property> name/value pairs, skipping comments and decoding entities', () => {
    const xml = `<?xml version="1.0"?>
<?xml-stylesheet type="text/xsl" href="configuration.xsl"?>
<configuration>
  <!-- <property><name>commented.out</name><value>x</value></property> -->
  <property>
    <name>yarn.scheduler.capacity.root.queues</name>
    <value>a,b</value>
    <description>Two queues &amp; more</description>
  </property>
  <property><name> yarn.acl.enable </name><value>true</value><final>true</final></property>
  <property><name>yarn.scheduler.capacity.root.a.acl_submit_applications</name><value> </value></property>
  <property><name>empty</name><value/></property>
  <property><name>escaped</name><value>a&lt;b&amp;c</value></property>
</configuration>`;
    const conf = parseHadoopConfiguration(xml, 'capacity-scheduler.xml');
    expect(conf.get('yarn.scheduler.capacity.root.queues')).toBe('a,b');
    expect(conf.get('yarn.acl.enable')).toBe('true');
    // A single space is an ACL meaning "no one": it must survive parsing.
    expect(conf.get('yarn.scheduler.capacity.root.a.acl_submit_applications')).toBe(' ');
    expect(conf.get('empty')).toBe('');
    expect(conf.get('escaped')).toBe('a<b&c');
    expect(conf.has('commented.out')).toBe(false);
  });

  it('reads a flat JSON object with the same keys', () => {
    const conf = parseHadoopConfiguration('{"yarn.scheduler.capacity.root.a.capacity": 70, "yarn.acl.enable": true}', 'yarn-site.json');
    expect(conf.get('yarn.scheduler.capacity.root.a.capacity')).toBe('70');
    expect(conf.get('yarn.acl.enable')).toBe('true');
  });

  it('names the file when the structure is not understood', () => {
    expect(() => parseHadoopConfiguration('queues=a,b', 'site.conf')).toThrow(/^site\.conf: /);
    expect(() => parseHadoopConfiguration('<foo><bar/></foo>', 'x.xml')).toThrow(/x\.xml: expected a <configuration>/);
    expect(() => parseHadoopConfiguration('<configuration><property><value>1</value></property></configuration>', 'x.xml')).toThrow(/x\.xml: <property> #1 has no <name>/);
    expect(() => parseHadoopConfiguration('{"a": {"b": 1}}', 'y.json')).toThrow(/y\.json: property a/);
    expect(() => parseHadoopConfiguration('[1]', 'z.json')).toThrow(/z\.json/);
  });
});
