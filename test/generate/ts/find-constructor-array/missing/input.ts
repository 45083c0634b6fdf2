const sdk = new NodeSDK({ instrumentations: getNodeAutoInstrumentations() });
