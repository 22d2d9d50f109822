import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogIndices, logIndexTemplate } from '../elasticsearch/log-indices';

/** The Kibana objects the compose stack imports (deploy/kibana), checked against the monitor's mapping. */
interface SavedObject {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  references: { id: string; name: string; type: string }[];
}

const objects: SavedObject[] = readFileSync(
  join(__dirname, '../../../../deploy/kibana/saved-objects.ndjson'),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim().length > 0)
  .map((line) => JSON.parse(line) as SavedObject);

function mappedFields(): Set<string> {
  const fields = new Set<string>();
  const walk = (
    properties: Record<string, { properties?: Record<string, unknown> }>,
    prefix: string,
  ): void => {
    for (const [name, spec] of Object.entries(properties)) {
      fields.add(`${prefix}${name}`);
      if (spec.properties) walk(spec.properties as never, `${prefix}${name}.`);
    }
  };
  walk(
    logIndexTemplate(new LogIndices('event-hub-logs'), 0).template?.mappings?.properties as never,
    '',
  );
  return fields;
}

describe('Kibana saved objects', () => {
  const fields = mappedFields();

  it('have unique ids and references that all resolve within the file', () => {
    const keys = objects.map((o) => `${o.type}/${o.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const object of objects) {
      for (const reference of object.references) {
        expect({ from: object.id, to: keys.includes(`${reference.type}/${reference.id}`) }).toEqual(
          {
            from: object.id,
            to: true,
          },
        );
      }
    }
  });

  it('point the data view at the indices the monitor writes', () => {
    const dataView = objects.find((o) => o.type === 'index-pattern');
    expect(dataView?.attributes).toMatchObject({
      title: new LogIndices('event-hub-logs').pattern,
      timeFieldName: '@timestamp',
    });
  });

  it('include a saved search by correlation id and a dashboard with events per topic and failures', () => {
    const titles = objects.map((o) => `${o.type}: ${String(o.attributes['title'])}`);
    expect(titles).toEqual(
      expect.arrayContaining([
        'search: Event Hub: flow by correlation id',
        'dashboard: Event Hub: monitor',
        'visualization: Event Hub: events per topic over time',
        'visualization: Event Hub: failures over time',
      ]),
    );
    const dashboard = objects.find((o) => o.type === 'dashboard') as SavedObject;
    const panels = JSON.parse(String(dashboard.attributes['panelsJSON'])) as {
      panelIndex: string;
      panelRefName: string;
    }[];
    expect(panels.map((p) => `${p.panelIndex}:${p.panelRefName}`)).toEqual(
      dashboard.references.map((r) => r.name),
    );
  });

  it('only use fields the index template maps', () => {
    for (const object of objects) {
      const used: string[] = [];
      if (object.type === 'visualization') {
        const visState = JSON.parse(String(object.attributes['visState'])) as {
          aggs: { params: { field?: string } }[];
        };
        used.push(...visState.aggs.flatMap((a) => (a.params.field ? [a.params.field] : [])));
      }
      if (object.type === 'search') {
        used.push(...(object.attributes['columns'] as string[]));
        used.push(...(object.attributes['sort'] as string[][]).map(([field]) => field as string));
      }
      for (const field of used)
        expect({ object: object.id, field, mapped: fields.has(field) }).toMatchObject({
          mapped: true,
        });
    }
  });
});
