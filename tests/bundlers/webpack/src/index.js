import '../test-app/app.js';
