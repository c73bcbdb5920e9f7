// Tests that talk to real servers (Temporal dev server, stand-ins over sockets) need more than jest's 5 s.
jest.setTimeout(120_000);
