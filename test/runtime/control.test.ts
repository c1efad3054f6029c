/** The control channel between the probe and the app: nothing a stray local process sends is parsed or obeyed. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { startControlServer } from '../../runtime/control-server.js';

describe('control channel', () => {
  it('drops a connection that does not start with the token, without parsing what it sent', async () => {
    const control = await startControlServer();
    try {
      const strays = [
        'not json at all\n',
        '{"type":"hello","pid":1,"port":1,"address":"x"}\n',
        'x'.repeat(10_000),
        `${control.token.slice(1)}\n{"type":"hello","pid":1,"port":1,"address":"x"}\n`,
      ];
      for (const text of strays) {
        const stray = net.connect({ host: '127.0.0.1', port: control.port });
        stray.on('error', () => {});
        stray.write(text);
        await once(stray, 'close');
      }
      // The app, with the token, is still heard.
      const app = net.connect({ host: '127.0.0.1', port: control.port });
      app.on('error', () => {});
      app.write(`${control.token}\n{"type":"hello","pid":2,"port":4242,"address":"127.0.0.1"}\n`);
      assert.equal((await control.hello).port, 4242);
      app.destroy();
    } finally {
      control.close();
    }
  });

  it("a second connection with the token cannot take over the app's", async () => {
    const control = await startControlServer();
    try {
      const app = net.connect({ host: '127.0.0.1', port: control.port });
      app.on('error', () => {});
      app.write(`${control.token}\n{"type":"hello","pid":3,"port":5000,"address":"127.0.0.1"}\n`);
      assert.equal((await control.hello).port, 5000);
      const second = net.connect({ host: '127.0.0.1', port: control.port });
      second.write(`${control.token}\n`);
      second.on('error', () => {});
      await once(second, 'close');
      assert.equal(app.destroyed, false, "the app's connection stays");
      app.destroy();
    } finally {
      control.close();
    }
  });
});
