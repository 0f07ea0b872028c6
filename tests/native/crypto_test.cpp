// Published test vectors: FIPS 202 / NIST examples (SHA3), FIPS 180 examples
// (SHA-256), RFC 4231 (HMAC-SHA256), RFC 8439 (ChaCha20), RFC 4648 (base64).

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/encoding.h"
#include "crypto/chacha20.h"
#include "crypto/random.h"
#include "crypto/sha256.h"
#include "crypto/sha3.h"

namespace {

using eventuall::to_hex;
namespace crypto = eventuall::crypto;

constexpr std::string_view kAbc = "abc";
constexpr std::string_view k448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

const std::string& million_a() {
  static const std::string s(1000000, 'a');
  return s;
}

std::string bytes(std::size_t n, std::uint8_t value) {
  return std::string(n, static_cast<char>(value));
}

}  // namespace

TEST_CASE("sha3_512 NIST vectors") {
  CHECK(to_hex(crypto::sha3_512("")) ==
        "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a6"
        "15b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26");
  CHECK(to_hex(crypto::sha3_512(kAbc)) ==
        "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e"
        "10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0");
  CHECK(to_hex(crypto::sha3_512(k448)) ==
        "04a371e84ecfb5b8b77cb48610fca8182dd457ce6f326a0fd3d7ec2f1e91636d"
        "ee691fbe0c985302ba1b0d8dc78c086346b533b49c030d99a27daf1139d6e75e");
  CHECK(to_hex(crypto::sha3_512(million_a())) ==
        "3c3a876da14034ab60627c077bb98f7e120a2a5370212dffb3385a18d4f38859"
        "ed311d0a9d5141ce9cc5c66ee689b266a8aa18ace8282a0e0db596c90b0a7b87");
}

TEST_CASE("sha3_256 NIST vectors") {
  CHECK(to_hex(crypto::sha3_256("")) ==
        "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  CHECK(to_hex(crypto::sha3_256(kAbc)) ==
        "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  CHECK(to_hex(crypto::sha3_256(k448)) ==
        "41c0dba2a9d6240849100376a8235e2c82e1b9998a999e21db32dd97496d3376");
  CHECK(to_hex(crypto::sha3_256(million_a())) ==
        "5c8875ae474a3634ba4fd55ec85bffd661f32aca75c6d699d0cdcb6c115891c1");
}

TEST_CASE("sha3 padding edges: rate-1, rate and rate+1 byte inputs differ and are stable") {
  // Input lengths around the 72-byte SHA3-512 rate hit the padding corner where
  // 0x06 and 0x80 share one byte; all must hash without touching out of bounds.
  for (std::size_t n : {71u, 72u, 73u, 135u, 136u, 137u}) {
    const std::string in(n, 'x');
    CHECK(crypto::sha3_512(in) != crypto::sha3_512(in + "x"));
    CHECK(crypto::sha3_256(in) != crypto::sha3_256(in + "x"));
  }
}

TEST_CASE("sha256 vectors") {
  CHECK(to_hex(crypto::sha256("")) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(to_hex(crypto::sha256(kAbc)) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_hex(crypto::sha256(k448)) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(to_hex(crypto::sha256(million_a())) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("Sha256 incremental matches one-shot for any split") {
  const std::string data = std::string(k448) + std::string(k448) + "tail";
  const auto expected = crypto::sha256(data);
  for (std::size_t split = 0; split <= data.size(); ++split) {
    crypto::Sha256 hasher;
    hasher.update(std::string_view(data).substr(0, split));
    hasher.update(std::string_view(data).substr(split));
    CHECK(hasher.finish() == expected);
  }
  crypto::Sha256 hasher;
  for (int i = 0; i < 1000; ++i) hasher.update(std::string_view(million_a()).substr(0, 1000));
  CHECK(to_hex(hasher.finish()) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  hasher.reset();
  hasher.update(kAbc);
  CHECK(hasher.finish() == crypto::sha256(kAbc));
}

TEST_CASE("hmac_sha256 RFC 4231") {
  SUBCASE("test case 1") {
    CHECK(to_hex(crypto::hmac_sha256(bytes(20, 0x0b), "Hi There")) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  }
  SUBCASE("test case 2") {
    CHECK(to_hex(crypto::hmac_sha256("Jefe", "what do ya want for nothing?")) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
  SUBCASE("test case 3") {
    CHECK(to_hex(crypto::hmac_sha256(bytes(20, 0xaa), bytes(50, 0xdd))) ==
          "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  }
  SUBCASE("test case 4") {
    std::string key;
    for (int i = 1; i <= 25; ++i) key.push_back(static_cast<char>(i));
    CHECK(to_hex(crypto::hmac_sha256(key, bytes(50, 0xcd))) ==
          "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  }
  SUBCASE("test case 6") {
    CHECK(to_hex(crypto::hmac_sha256(bytes(131, 0xaa),
                                     "Test Using Larger Than Block-Size Key - Hash Key First")) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  }
  SUBCASE("test case 7") {
    CHECK(to_hex(crypto::hmac_sha256(
              bytes(131, 0xaa),
              "This is a test using a larger than block-size key and a larger than block-size "
              "data. The key needs to be hashed before being used by the HMAC algorithm.")) ==
          "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
  }
}

TEST_CASE("chacha20 block RFC 8439 section 2.3.2") {
  const std::array<std::uint32_t, 8> key = {0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c,
                                            0x13121110, 0x17161514, 0x1b1a1918, 0x1f1e1d1c};
  const std::array<std::uint32_t, 3> nonce = {0x09000000, 0x4a000000, 0x00000000};
  const crypto::ChaChaBlock block = crypto::chacha20_block(key, 1, nonce);
  CHECK(to_hex(block) ==
        "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
        "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
}

// RFC 8439 appendix A.1 test vectors 1 and 2: all-zero key and nonce, block
// counters 0 and 1 -- exactly the stream Random produces for a zero seed.
constexpr std::string_view kZeroKeyBlocks01 =
    "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
    "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"
    "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
    "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f";

TEST_CASE("Random is the ChaCha20 keystream (RFC 8439 A.1)") {
  SUBCASE("fill across a block boundary") {
    crypto::Random random(crypto::Seed{});
    std::array<std::uint8_t, 100> out;
    random.fill(out.data(), 30);
    random.fill(out.data() + 30, 70);
    CHECK(to_hex(out) == kZeroKeyBlocks01.substr(0, 200));
  }
  SUBCASE("integers are little-endian reads of the same stream") {
    crypto::Random random(crypto::Seed{});
    CHECK(random.next_u32() == 0xade0b876u);
    CHECK(random.next_u64() == 0xe56a5d40903df1a0ull);  // bytes 4..11
    std::uint8_t next;
    random.fill(&next, 1);
    CHECK(next == 0x53);  // byte 12
  }
  SUBCASE("next_double is (next_u64 >> 11) * 2^-53") {
    crypto::Random a(crypto::Seed{});
    crypto::Random b(crypto::Seed{});
    for (int i = 0; i < 1000; ++i) {
      const double d = a.next_double();
      CHECK(d == static_cast<double>(b.next_u64() >> 11) / 9007199254740992.0);
      CHECK(d >= 0.0);
      CHECK(d < 1.0);
    }
  }
  SUBCASE("different seeds, different streams") {
    crypto::Seed seed{};
    seed[31] = 1;
    crypto::Random a(crypto::Seed{});
    crypto::Random b(seed);
    CHECK(a.next_u64() != b.next_u64());
  }
}

TEST_CASE("to_hex") {
  const std::uint8_t raw[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
  CHECK(to_hex(raw, sizeof raw) == "00017f80abff");
  CHECK(to_hex(std::string_view("\x00\xff", 2)) == "00ff");
  CHECK(to_hex(std::array<std::uint8_t, 2>{0xde, 0xad}) == "dead");
  CHECK(to_hex(std::string_view()) == "");
}

TEST_CASE("base64 RFC 4648 section 10 vectors") {
  const std::array<std::array<std::string_view, 3>, 7> vectors = {{
      {"", "", ""},
      {"f", "Zg==", "Zg"},
      {"fo", "Zm8=", "Zm8"},
      {"foo", "Zm9v", "Zm9v"},
      {"foob", "Zm9vYg==", "Zm9vYg"},
      {"fooba", "Zm9vYmE=", "Zm9vYmE"},
      {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
  }};
  for (const auto& vector : vectors) {
    // Named copies, not structured bindings: clang 14 (em++) cannot capture those.
    const std::string_view plain = vector[0], padded = vector[1], unpadded = vector[2];
    CAPTURE(plain);
    CHECK(eventuall::base64_encode(plain) == padded);
    CHECK(eventuall::base64url_encode(plain) == unpadded);
    std::string out = "junk";
    CHECK(eventuall::base64_decode(padded, out));
    CHECK(out == plain);
    out = "junk";
    CHECK(eventuall::base64_decode(unpadded, out));
    CHECK(out == plain);
  }
}

TEST_CASE("base64 alphabets and binary round trip") {
  const std::string high("\xfb\xff\xbf", 3);
  CHECK(eventuall::base64_encode(high) == "+/+/");
  CHECK(eventuall::base64url_encode(high) == "-_-_");
  CHECK(eventuall::base64url_encode(std::string("\xfb\xff", 2)) == "-_8");

  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t n = 0; n <= all.size(); n += 17) {
    const std::string part = all.substr(0, n);
    std::string out;
    CHECK(eventuall::base64_decode(eventuall::base64_encode(part), out));
    CHECK(out == part);
  }
}

TEST_CASE("base64_decode rejects invalid input and leaves out alone") {
  const std::string_view bad[] = {
      "Z",         // dangling single character
      "Zm9vY",     // 5 chars: dangling single character
      "Zg=",       // padding that does not complete a group
      "Zg===",     // too much padding
      "Zm9v=",     // padding after a full group
      "====",      // padding only
      "Z===",      // three pad characters
      "Zg==Zg==",  // padding in the middle
      "Zm 9v",     // whitespace
      "Zm9v\n",    // newline
      "Zm-v",      // url alphabet is not the standard one
      "Zm_v",      // url alphabet is not the standard one
      "Zh==",      // non-zero unused bits
      "Zm9=",      // non-zero unused bits
  };
  for (std::string_view text : bad) {
    CAPTURE(text);
    std::string out = "unchanged";
    CHECK_FALSE(eventuall::base64_decode(text, out));
    CHECK(out == "unchanged");
  }
  std::string out = "unchanged";
  CHECK_FALSE(eventuall::base64_decode(std::string_view("Zm9v\0AAA", 8), out));
  CHECK(out == "unchanged");
  CHECK_FALSE(eventuall::base64_decode(std::string_view("\xff\xfe\x80\x00", 4), out));
  CHECK(out == "unchanged");
}

TEST_CASE("base64_decode never crashes on arbitrary bytes") {
  // Every 1- and 2-byte string, and pseudo-random longer ones: success must
  // round-trip through encode (canonical form), failure must just return false.
  crypto::Random random(crypto::Seed{});
  auto check = [](std::string_view text) {
    std::string out;
    if (eventuall::base64_decode(text, out)) {
      const std::string again = eventuall::base64_encode(out);
      const bool same = again == text || again.substr(0, text.size()) == text;
      CHECK(same);
    }
  };
  for (int a = 0; a < 256; ++a) {
    check(std::string(1, static_cast<char>(a)));
    for (int b = 0; b < 256; ++b) {
      check(std::string{static_cast<char>(a), static_cast<char>(b)});
    }
  }
  constexpr std::string_view kAlphabetish =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/==";
  for (int i = 0; i < 20000; ++i) {
    std::string text(random.next_u32() % 13, '\0');
    for (char& c : text) c = kAlphabetish[random.next_u32() % kAlphabetish.size()];
    check(text);
  }
}
