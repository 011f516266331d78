// /healthz and /readyz, for the operator's load balancer or orchestrator rather than for merchants: their
// answers are typed and serialised from here like every route's, but they stay out of /openapi.json.
import { Type } from 'typebox';
import { Enum, ServiceUnavailable } from './common.ts';

const ProbeOk = Type.Object({ status: Enum(['ok'] as const) });

/** The process is up and serving HTTP; says nothing about the database. */
export const liveness = { hide: true, response: { 200: ProbeOk } };

/** The database answered a trivial query within the readiness bound. */
export const readiness = { hide: true, response: { 200: ProbeOk, 503: ServiceUnavailable } };
