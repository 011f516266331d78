// Setup file of the projects that build apps in-process (api, browser): every app compiles a response
// serializer (fast-json-stringify) for each route its tests call, and a test builds a new app for each
// harness, so the same serializers were compiled from the same schemas again and again (before app.ts
// compiled them lazily, about 0.7 s of each harness's 1 s). Here fast-json-stringify remembers what it compiled, keyed by the schema and the options it was
// given (as JSON), for the life of the worker. A serializer is a pure function of those, so every app
// still answers with exactly the serializer it would have compiled; a changed schema is a new key.
// Options that are functions do not show in the key; within one run they come from the same source.
// The real processes of the process project compile their own, as in production.
import { createRequire } from 'node:module';

type Build = ((schema: unknown, options?: unknown) => unknown) & Record<string, unknown>;

const MEMOIZED = Symbol.for('kasir.test.memoizedSerializers');
// fast-json-stringify as Fastify's serializer compiler loads it (a CommonJS require, outside vitest's graph).
const fromCompiler = createRequire(createRequire(import.meta.url).resolve('@fastify/fast-json-stringify-compiler'));
const path = fromCompiler.resolve('fast-json-stringify');
const loaded = fromCompiler(path) as Build;
const cached = fromCompiler.cache[path];

// Once per worker (setup files run before every test file of a worker that is not isolated), and before
// Fastify first loads the compiler, which keeps the export it found.
if (cached && !(loaded as { [MEMOIZED]?: true })[MEMOIZED]) {
  const compiled = new Map<string, unknown>();
  // Every route of an app is compiled with options that carry the same shared schemas (`schema`), in a new
  // options object each time (app.ts compiles each route lazily through Fastify's own factory): their JSON is
  // made once per shared-schemas object, not once per route. Fastify's compiler hands a route whose own
  // schema is among them a copy without it, a new object, so that copy gets its own JSON.
  const sharedJson = new WeakMap<object, string>();
  const jsonOf = (options: unknown) => {
    if (typeof options !== 'object' || options === null) return JSON.stringify(options ?? null);
    const shared: unknown = Reflect.get(options, 'schema');
    if (typeof shared !== 'object' || shared === null) return JSON.stringify(options);
    let json = sharedJson.get(shared);
    if (json === undefined) {
      json = JSON.stringify(shared);
      sharedJson.set(shared, json);
    }
    const rest = JSON.stringify(options, function (this: unknown, key: string, value: unknown) {
      return this === options && key === 'schema' ? undefined : value;
    });
    return `${rest}\u0000${json}`;
  };
  const build = ((schema: unknown, options?: unknown) => {
    const key = `${JSON.stringify(schema)}\u0000${jsonOf(options)}`;
    let serializer = compiled.get(key);
    if (serializer === undefined) {
      serializer = loaded(schema, options);
      compiled.set(key, serializer);
    }
    return serializer;
  }) as Build;
  Object.assign(build, loaded, { default: build, build, [MEMOIZED]: true });
  cached.exports = build;
}
