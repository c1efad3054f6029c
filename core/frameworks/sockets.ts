/** WebSocket servers: `ws` and socket.io listeners (`socket.on('message', fn)`), labelled by `listeners.ts`. */
import type { FrameworkModel } from './model.js';

export const socketsModel: FrameworkModel = {
  name: 'sockets',
  emitters: {
    ws: { prefix: 'ws', kind: 'ws-listener', carriesRequestData: true },
    'socket.io': { prefix: 'socket.io', kind: 'socketio-listener', carriesRequestData: true },
  },
};
