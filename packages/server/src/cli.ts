#!/usr/bin/env node
console.log('mini-redis-server: not yet');
