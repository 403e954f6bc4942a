// Stops an npm script on a Node.js older than package.json's `engines.node`, with the version
// found, the version needed and how to get it, before anything loads a native addon built for
// another Node (better-sqlite3 under Node 20 dies with a bare "Segmentation fault").
//
// Run by the pre-scripts in package.json (prebuild, pretest, predev, ...): the committed .npmrc's
// engine-strict already stops `npm ci` on an old Node, and this covers a node_modules installed
// otherwise (--engine-strict=false, or another Node first on PATH since).
//
// Written as ES5 CommonJS with no dependencies so that very old Node versions can run it far
// enough to say so. Understands the one range shape package.json uses: ">=MAJOR[.MINOR[.PATCH]]".
'use strict';

var fs = require('fs');
var path = require('path');

/** Parses ">=24" or ">=24.1.0" into [24, 0, 0] / [24, 1, 0]; null for any other range. */
function parseMinimum(range) {
  var match = /^\s*>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(String(range));
  if (!match) return null;
  return [Number(match[1]), Number(match[2] || 0), Number(match[3] || 0)];
}

function parseVersion(version) {
  var parts = String(version).replace(/^v/, '').split('.');
  return [Number(parts[0]) || 0, Number(parts[1]) || 0, Number(parts[2]) || 0];
}

function atLeast(version, minimum) {
  for (var i = 0; i < 3; i++) {
    if (version[i] !== minimum[i]) return version[i] > minimum[i];
  }
  return true;
}

/**
 * The message for a Node.js `version` (e.g. "20.20.2") against the `engines.node` range, or null
 * when it satisfies the range. `nodePath` is the running binary, named so that a second Node
 * earlier on PATH is easy to spot.
 */
function checkNode(version, range, nodePath) {
  var minimum = parseMinimum(range);
  if (!minimum) {
    return (
      'scripts/check-node.cjs understands engines.node only as ">=MAJOR[.MINOR[.PATCH]]", not "' +
      range +
      '": change the script with the range.'
    );
  }
  if (atLeast(parseVersion(version), minimum)) return null;
  var major = minimum[0];
  return [
    'ChronoTrack needs Node.js ' +
      range +
      ' (package.json "engines"); this is Node.js v' +
      String(version).replace(/^v/, '') +
      (nodePath ? ' (' + nodePath + ')' : '') +
      '.',
    'Install Node.js ' + major + ' in one of these ways, then run the command again:',
    '  - the installer or package for your system: https://nodejs.org/en/download',
    '  - a version manager: nvm install ' +
      major +
      '   or   fnm install ' +
      major +
      ' && fnm use ' +
      major,
    '  - Linux (x64, arm64), no root needed, from the npm registry:',
    '      export PATH="$(bash scripts/ensure-node.sh)/bin:$PATH"',
    'If node_modules was installed under another Node.js, run `npm ci` again after switching.',
  ].join('\n');
}

function main() {
  var root = path.join(__dirname, '..');
  var range = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).engines.node;
  var message = checkNode(process.versions.node, range, process.execPath);
  if (message) {
    process.stderr.write(message + '\n');
    process.exit(1);
  }
}

module.exports = { checkNode: checkNode };

if (require.main === module) main();
