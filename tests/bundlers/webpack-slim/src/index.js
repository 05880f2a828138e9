import '../test-app/slim.js';
