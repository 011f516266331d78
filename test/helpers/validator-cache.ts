// Setup file of the projects that build apps in-process (api, browser), beside serializer-cache.ts: every
// app compiles an Ajv validator for each route its tests call, from the same contract (app.ts), which was
// about a tenth of the api project's CPU when every route compiled at start. Here Ajv remembers what it compiled, keyed by the schema and the options that
// shape a validator (as JSON), for the life of the worker. A validator is a pure function of those and of
// the contract's shared schemas, which every app adds alike, so every app still validates exactly as it
// would with its own; a changed schema is a new key. The process project's real servers compile their own.
import { Ajv } from 'ajv';

type Compile = (this: Ajv, schema: unknown, meta?: boolean) => unknown;

const MEMOIZED = Symbol.for('kasir.test.memoizedValidators');
const proto: { compile: Compile; [MEMOIZED]?: true } = Ajv.prototype;

// Once per worker: setup files run before every test file of a worker that is not isolated.
if (!proto[MEMOIZED]) {
  const compile = proto.compile;
  const compiled = new Map<string, unknown>();
  proto.compile = function (schema, meta) {
    const { allErrors, coerceTypes, useDefaults, removeAdditional, strict } = this.opts;
    const key = JSON.stringify([schema, meta ?? null, allErrors, coerceTypes, useDefaults, removeAdditional, strict]);
    let validator = compiled.get(key);
    if (validator === undefined) {
      validator = compile.call(this, schema, meta);
      compiled.set(key, validator);
    }
    return validator;
  };
  proto[MEMOIZED] = true;
}
