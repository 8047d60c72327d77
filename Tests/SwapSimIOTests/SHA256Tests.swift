import Foundation
import Testing
import SwapSimIO

/// The content hash against the FIPS 180-4 / NIST test vectors, streamed in odd pieces.
@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hex(input) == digest)
    }

    @Test func millionAsInUnevenPiecesMatchesTheVector() {
        var s = SHA256()
        let a = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        var i = 0
        var piece = 1
        while i < a.count {
            let n = min(piece, a.count - i)
            s.update(a[i..<(i + n)])
            i += n
            piece = piece * 3 % 997 + 1
        }
        #expect(s.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func fileDigestEqualsTextDigest() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = String(repeating: "arrival_s,model,input_tokens,output_tokens\n", count: 40_000)
        let path = dir.appendingPathComponent("t.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try SHA256.hex(fileAt: path) == SHA256.hex(text))
    }

    @Test func aFolderTraceHashesEachFileByPathInByteOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sha-folder-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("b"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "second".write(to: dir.appendingPathComponent("b/x.json"), atomically: true, encoding: .utf8)
        try "first".write(to: dir.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        let expected = SHA256.hex("a.csv\0\(SHA256.hex("first"))\nb/x.json\0\(SHA256.hex("second"))\n")
        #expect(try SHA256.hex(traceAt: dir.path) == expected)
        #expect(try SHA256.hex(traceAt: dir.appendingPathComponent("a.csv").path) == SHA256.hex("first"))
    }
}
