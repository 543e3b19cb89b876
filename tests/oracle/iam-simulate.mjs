// Differential-test driver: reads one simulation per line (JSON) on stdin, runs it through
// @cloud-copilot/iam-simulate in strict mode, and writes one JSON line per case:
// {"result": "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied"} or {"error": "..."}.
// The package is found through NODE_PATH (installed by .ci/install-test-tools).
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { runSimulation, anonymousPrincipal } = require('@cloud-copilot/iam-simulate');

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  let out;
  try {
    const c = JSON.parse(line);
    const named = (list, prefix) => list.map((policy, i) => ({ name: `${prefix}${i}`, policy }));
    const levels = (list, prefix) =>
      list.map((policy, i) => ({ orgIdentifier: `${prefix}${i}`, policies: [{ name: `${prefix}${i}`, policy }] }));
    const simulation = {
      request: {
        principal: c.principal === 'anonymous' ? anonymousPrincipal : c.principal,
        action: c.action,
        resource: { resource: c.resource, accountId: c.resourceAccount },
        contextVariables: c.context,
      },
      identityPolicies: named(c.identity, 'identity'),
      serviceControlPolicies: levels(c.scps, 'scp'),
      resourceControlPolicies: levels(c.rcps, 'rcp'),
      resourcePolicy: c.resourcePolicy ?? undefined,
      permissionBoundaryPolicies: c.boundary ? named([c.boundary], 'boundary') : undefined,
      sessionPolicy: c.session ?? undefined,
    };
    const result = await runSimulation(simulation, { simulationMode: 'Strict' });
    out = result.resultType === 'error'
      ? { error: JSON.stringify(result.errors).slice(0, 300) }
      : { result: result.overallResult };
  } catch (e) {
    out = { error: String(e?.message ?? e) };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}
