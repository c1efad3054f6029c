const fs = require('fs');

function save(name, data) {
  fs.writeFileSync(`/data/${name}.json`, JSON.stringify(data));
}

module.exports = { save };
