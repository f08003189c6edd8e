/** What `npm start` prints once the local cloud is up: things a person can try straight away. */
export function instructions(url: string, adminToken: string, dataDir: string, demoOfficers = false): string {
  const fn = (name: string, openid: string, event: string) =>
    `  curl -s -X POST ${url}/functions/${name} -H 'X-WX-OPENID: ${openid}' -H 'content-type: application/json' -d '${event}'`;
  return [
    '',
    `桂A交管 local cloud: ${url}   (Ctrl-C stops it; the data stays in ${dataDir})`,
    '',
    `Open the app in a browser: ${url}/   (a preview of the mini program; the switcher picks which demo person you are)`,
    '',
    'Demo people (registered and face-verified through the sandbox; README → "Try it"):',
    '  demo-li-ming  李明  owns 桂A12345, 桂AD12345     demo-wang-fang 王芳  owns 桂AB2C34, 桂AF35678',
    '  demo-huang-wei 黄伟 no car of his own            demo-wei-li    韦丽  10 points this cycle',
    '',
    "李明's violations, each with processable / reasons / fine / points / surcharge:",
    fn('violation', 'demo-li-ming', '{"action":"list"}'),
    '黄伟 asks 王芳 to let him drive 桂AB2C34 (then 王芳 approves with her face — see the README):',
    fn(
      'vehicle',
      'demo-huang-wei',
      '{"action":"requestBinding","plate":"桂AB2C34","plateType":"02","ownerName":"王芳"}',
    ),
    '',
    `Health and statistics: curl -s ${url}/health   curl -s ${url}/stats`,
    `ADMIN_TOKEN for this run: ${adminToken}   (set ADMIN_TOKEN to choose your own; it only bootstraps the first administrator)`,
    ...(demoOfficers
      ? [
          `Police officers (admin function): logins, password and TOTP secrets in ${dataDir}/demo-officers.json`,
          '  demo-admin, demo-import, demo-finance, demo-finance2, demo-faults, demo-audit   (README → "Police side")',
        ]
      : []),
    '',
  ].join('\n');
}
