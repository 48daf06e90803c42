/**
 * Socket.IO's parser, minus binary (PROTOCOL v2 "No binary"). No command takes binary data, and
 * a packet that announces attachments makes the server hold every frame until the last one
 * arrives: 400 such connections held 900 MB. Here a binary packet, or a binary frame, is a
 * protocol violation: Socket.IO closes that connection at once, holding nothing.
 */
import { Decoder, Encoder, PacketType } from 'socket.io-parser';

class TextOnlyDecoder extends Decoder {
  override add(obj: unknown): void {
    if (typeof obj !== 'string') throw new Error('binary data is not accepted');
    // The packet type is the first character (socket.io-parser's encoding).
    const type = obj.charCodeAt(0) - 48;
    if (type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK) throw new Error('binary attachments are not accepted');
    super.add(obj);
  }
}

export const textOnlyParser = { Encoder, Decoder: TextOnlyDecoder };
