// `express4` is Express 4 installed under an alias for tests; its API is close enough to Express 5's for them.
declare module 'express4' {
  import express = require('express');
  export = express;
}
