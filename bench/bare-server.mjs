// Baseline for bench/run.ts: the cheapest possible Fastify 5 app, run as plain JavaScript by node as Kasir's
// compiled build is, so Kasir's numbers can be read as a ratio of it rather than as machine-dependent absolutes.
import Fastify from 'fastify';

const app = Fastify({ logger: false });

app.get('/bare', async () => ({ ok: true, service: 'bare' }));
// Echo, so the POST baseline pays JSON parse + serialize like a real handler.
app.post('/bare', async (req) => ({ ok: true, echo: req.body }));

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
