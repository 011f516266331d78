// Setup file of the projects that build apps in-process (api, browser): Fastify compiles a response
// serializer (fast-json-stringify) for every route of every app, and a test builds a new app for each
// harness, so about 0.7 s of each harness's 1 s was compiling the same serializers from the same schemas
// again. Here fast-json-stringify remembers what it compiled, keyed by the schema and the options it was
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
  // An app passes one options object, which carries every shared schema, for all its routes: turned into
  // JSON once per app rather than once per route. Fastify's compiler replaces its `schema` (the shared
  // schemas) when a route's own schema is among them, so the JSON is kept with the `schema` it was made from.
  const optionsJson = new WeakMap<object, { shared: unknown; json: string }>();
  const jsonOf = (options: unknown) => {
    if (typeof options !== 'object' || options === null) return JSON.stringify(options ?? null);
    const shared: unknown = Reflect.get(options, 'schema');
    const known = optionsJson.get(options);
    if (known !== undefined && known.shared === shared) return known.json;
    const json = JSON.stringify(options);
    optionsJson.set(options, { shared, json });
    return json;
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
