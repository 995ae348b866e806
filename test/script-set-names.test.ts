import { expect, test } from 'vitest';
import { scriptSetNames } from '../src/script/run-script.js';

test('names set with client.global.set, in any quote style and spacing, once each', () => {
  const code = `
client.global.set("auth_token", response.body.access_token);
client . global . set ( 'userId' , response.body.id );
client.global.set(\`orderId\`, response.body[0].orderId);
client.global.set("auth_token", "again");
`;
  expect(scriptSetNames(code)).toEqual(['auth_token', 'userId', 'orderId']);
});

test('commented-out lines, computed names and other calls are not names', () => {
  const code = `
// client.global.set("old", 1);
  //client.global.set("older", 1);
client.global.set(name, 1);
client.global.set("a" + i, 1);
client.global.get("read");
request.variables.set("local", 1);
`;
  expect(scriptSetNames(code)).toEqual([]);
});

test('no script, no names', () => {
  expect(scriptSetNames('')).toEqual([]);
});
