declare module "kafkajs-snappy" {
  /** Pure-JS snappy (snappyjs) for kafkajs: register as `CompressionCodecs[CompressionTypes.Snappy]`. */
  const createSnappyCodec: () => {
    compress(encoder: { buffer: Buffer }): Promise<Buffer>;
    decompress(buffer: Buffer): Promise<Buffer>;
  };
  export default createSnappyCodec;
}
