/** What `npm start` prints once the local cloud is up: things a person can try straight away. */
export function instructions(url: string, adminToken: string): string {
  return [
    '',
    `桂A交管 local cloud is running at ${url}  (Ctrl-C stops it; data stays in .local-cloud/)`,
    '',
    'Try:',
    `  curl -s ${url}/health`,
    `  curl -s ${url}/stats`,
    `  curl -s -X POST ${url}/functions/admin -H 'content-type: application/json' \\`,
    `       -d '{"action":"importVehicles","adminToken":"${adminToken}","rows":[{"plate":"桂A9X8Y7","plateType":"02","ownerIdNumber":"450103198803150216","ownerName":"李明"}]}'`,
    '',
    `ADMIN_TOKEN for this run: ${adminToken}  (set ADMIN_TOKEN to choose your own)`,
    '',
  ].join('\n');
}
