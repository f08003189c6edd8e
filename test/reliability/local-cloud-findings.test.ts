/**
 * What the reliability suite found in the local cloud itself (scripts/local-cloud/**), kept as regression tests.
 * All three failed before commit 8c7eef4 ("Local cloud: refuse JSON nested deeper than 256 …"):
 *
 * 1. A deeply nested event (JSON.parse takes it, structured clone does not) was answered HTTP 500 "Maximum call
 *    stack size exceeded" …
 * 2. … and left a timer on the function instance it was meant for: one time limit later that timer dropped the
 *    instance and killed whatever invocation was running on it then (measured: a 1 s call answered HTTP 500
 *    -504003 "timed out after 3000 ms"). In FunctionPool.run, `postMessage` threw after `instance.pending` and
 *    the timer were set.
 * 3. /stats kept one entry per `function.action` for any action string a client sent (100 invented actions of
 *    1 000 characters = 100 new entries, kept forever and returned by every /stats).
 */
import { FIXTURE_FUNCTIONS, startLocalCloud, useLocalCloud } from '../helpers/local-cloud';

const cloud = useLocalCloud();

function nested(depth: number): string {
  return `{"action":"list","plate":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

async function post(
  name: string,
  body: string,
  openid = 'o-lcf-1',
  url = cloud().url,
): Promise<{ status: number; ms: number; text: string }> {
  const started = Date.now();
  const res = await fetch(`${url}/functions/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
    body,
  });
  return { status: res.status, ms: Date.now() - started, text: (await res.text()).slice(0, 200) };
}

it('a deeply nested event is answered without HTTP 500 (a typed INVALID_ARGUMENT, or a 4xx refusal)', async () => {
  const reply = await post('violation', nested(20_000));
  expect(reply).toEqual({ ...reply, status: reply.status < 500 ? reply.status : 'not 5xx' });
});

it('a deeply nested event does not poison its instance: one time limit later, the call then running is not killed', async () => {
  // The fixture function `slow` sleeps event.ms; one instance, so every call lands on the instance that got the event.
  const timeLimitMs = 3_000;
  const fixture = await startLocalCloud({ functions: FIXTURE_FUNCTIONS, instances: 1, timeLimitMs });
  try {
    await post('slow', nested(20_000), 'o-lcf-1', fixture.url);
    await post('slow', JSON.stringify({ ms: timeLimitMs - 500 }), 'o-lcf-1', fixture.url);
    // This call is running when the timer the deep event left behind goes off (one time limit after it).
    const victim = await post('slow', JSON.stringify({ ms: 1_000 }), 'o-lcf-1', fixture.url);
    expect({ status: victim.status, text: victim.text, fasterThanTheLimit: victim.ms < timeLimitMs }).toEqual({
      status: 200,
      text: '{"slept":1000}',
      fasterThanTheLimit: true,
    });
  } finally {
    await fixture.stop();
  }
}, 20_000);

it('/stats does not keep an entry for every action string a client invents', async () => {
  const keys = async () =>
    Object.keys((await cloud().request<{ roundTrips: Record<string, unknown> }>('GET', '/stats')).body.roundTrips)
      .length;
  const before = await keys();
  for (let i = 0; i < 100; i += 1) await post('user', JSON.stringify({ action: `junk-${i}-${'x'.repeat(1000)}` }));
  expect((await keys()) - before).toBeLessThanOrEqual(10);
}, 20_000);
