const http = require('http');
const { save } = require('./lib/store');

http.createServer((req, res) => {
  save('last', { url: req.url });
  res.end('ok');
}).listen(3000);
