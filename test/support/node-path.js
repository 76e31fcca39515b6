// Preloaded (`node -r`) by apps the command tests synthesize from a temporary directory: they resolve
// aws-cdk-lib and constructs from this repository's node_modules, as an app resolves its own.
const Module = require('module');
const path = require('path');
process.env.NODE_PATH = [path.join(__dirname, '..', '..', 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
Module._initPaths();
