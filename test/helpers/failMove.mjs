/**
 * Preloaded into a command-line run by test/cli/rollback.test.ts
 * (`tsx --import test/helpers/failMove.mjs ...`): the move of the Nth output
 * file from writeAll's temporary folder into place (N from
 * `CARECAST_TEST_FAIL_MOVE`) fails as a disk would (EIO), so that the test
 * sees what a failure part way through the moves leaves behind.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const failAt = Number(process.env.CARECAST_TEST_FAIL_MOVE);
const realRename = fs.renameSync;
let moves = 0;
fs.renameSync = (from, to) => {
  // a staged output is `<out>/.carecast-XXXXXX/<i>-<name>`
  if (/[\\/]\.carecast-[^\\/]+[\\/]\d+-/.test(String(from)) && ++moves === failAt) {
    throw Object.assign(new Error(`EIO: i/o error, rename '${String(from)}' -> '${String(to)}'`), { code: 'EIO', errno: -5, syscall: 'rename' });
  }
  return realRename(from, to);
};
// the ES-module bindings (`import { renameSync } from 'node:fs'`) follow the change
syncBuiltinESMExports();
