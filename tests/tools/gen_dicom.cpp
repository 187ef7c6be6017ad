// telerad-gen-dicom: deterministic DICOM test-data generator (DCMTK only).
//
// Writes DICOM Part 10 files DIR/s<study>_i<instance>.dcm (zero-padded numbers), one
// series per study, and prints one line per study on stdout: "<StudyInstanceUID> <count>"
// ("-" instead of the UID when the study has none, i.e. --defect missing-study-uid).
// Run with --help for the options. Exit codes: 0 ok, 1 runtime error, 2 usage error.
//
// UIDs are a pure function of (--seed, --modality, study/instance number):
//   study    1.2.826.0.1.3680043.10.1078.<seed>.<m>.1.<study>
//   series   1.2.826.0.1.3680043.10.1078.<seed>.<m>.2.<study>
//   instance 1.2.826.0.1.3680043.10.1078.<seed>.<m>.3.<study>.<instance>
//   frame of reference ...<seed>.<m>.4.<study>
// with <m> = 1 CT, 2 CR, 3 DX, 4 MG, 5 OT, so two modalities generated with the same seed
// never collide. At most 56 characters (seed <= 2^32-1, counts <= 999999).
//
// Hostile files (--defect). Each is otherwise complete. What DCMTK 3.6.7's senders do with
// them, observed on Debian 12 against `storescp -od DIR 11199` on 127.0.0.1
// (`storescu -aet DEMO_SCU 127.0.0.1 11199 FILE`; `dcmsend -nuc -aet DEMO_SCU 127.0.0.1 11199
// FILE`). storescu 3.6.7 has no UID-check switch; dcmsend has -nuc/--no-uid-checks.
//   missing-sop-uid    no (0008,0018) in the dataset; the meta header keeps (0002,0003) = the UID
//                      it should have had. storescu: "No SOP Class or Instance UID in file", exit
//                      1, nothing sent (association opened, then aborted). dcmsend -nuc: "Invalid
//                      SOP Instance UID", exit 62, nothing sent. NOT sendable with the DCMTK tools:
//                      a test needs its own SCU (DcmSCU::sendSTORERequest with a dataset) or a
//                      Part-10 upload path (STOW-RS) to reach the server.
//   missing-study-uid  no (0020,000D); stdout prints "-" for the UID. storescu sends it (Success
//                      from storescp): REACHES the server.
//   long-uid           StudyInstanceUID of exactly 70 chars (digits/dots, valid syntax). REACHES.
//   path-uid           SeriesInstanceUID "<series uid>/../../x" (44 chars). REACHES.
//   bad-uid-chars      StudyInstanceUID "1.2.abc.<seed>.<study>". REACHES.
//   truncated          good file cut to 60 % of its size (inside PixelData). storescu: "Bad DICOM
//                      file ...: I/O suspension or premature end of stream", exit 1, nothing sent;
//                      dcmsend the same (exit 62). Not sendable; for file-import / STOW-RS tests.
//   bad-sop-class      SOPClassUID 1.2.3.4.5.6.7 (meta header too). storescu never proposes it
//                      (default and +C: "No presentation context for: (unknown SOP class)",
//                      exit 1; -R: "unknown storage SOP class in file" before connecting).
//                      Two ways to put it in an A-ASSOCIATE-RQ: `dcmsend -nuc`, or storescu with
//                      a profile listing the class (`-xf bad.cfg Bad`, see bench/README.md). Both
//                      made storescp reject the context ("No Acceptable Presentation Contexts";
//                      dcmsend still exits 0!). So the server test is "context rejected,
//                      nothing stored"; no C-STORE with this class is ever sent by these tools.
//   sop-mismatch       meta header (0002,0003) differs from the dataset SOPInstanceUID. Neither
//                      tool transmits the meta header: storescu and dcmsend both put the dataset's
//                      SOPInstanceUID in the C-STORE AffectedSOPInstanceUID (dcmsend only warns
//                      "SOP Instance UID in dataset differs from the one in the transfer list").
//                      Meaningless for C-STORE; only useful for Part-10 uploads (STOW-RS, import).
// The three below append raw bytes after PixelData, as a Digital Signatures Sequence
// (FFFA,FFFA), the last tag there is: DCMTK cannot write them, and DCMTK 3.6.7 reads them
// recursively (storescu would crash or choke on them), so a test sends the data set with
// its own SCU straight from the bytes (DIMSE_sendMessageUsingFileData).
//   deep-nesting       100,000 sequences of undefined length, each in an item of the one
//                      before (3.6 MB): overflows the stack of a thread that parses it.
//   many-elements      1,000,001 empty items in one sequence (8 MB): a million objects.
//   lying-length       a 16-byte sequence whose one item claims 1 MiB, past the file's end.

#include <errno.h>
#include <iconv.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcfilefo.h"
#include "dcmtk/dcmdata/dcmetinf.h"
#include "dcmtk/dcmdata/dcpixel.h"
#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmdata/dcxfer.h"
#include "dcmtk/oflog/oflog.h"

namespace {

const char* const kRoot = "1.2.826.0.1.3680043.10.1078.";

struct Options {
  std::string out;
  std::string modality = "CT";
  unsigned long studies = 1;
  unsigned long instances = 1;
  unsigned long rows = 512;
  unsigned long cols = 512;
  std::string charset = "none";
  std::string patient_name = "TEST^PATIENT";
  std::string patient_id;  // default P<seed>
  std::string birth_date = "19700101";
  std::string sex = "O";
  std::string body_part;  // Body Part Examined; default CHEST for CR/DX, BREAST for MG, none for CT
  std::string accession;  // default A<seed>S<study>
  bool accession_set = false;
  unsigned long seed = 1;
  std::string transfer_syntax = "explicit";
  std::string defect = "none";
  unsigned long hostile_size = 0;  // 0: the defect's own size (see the header comment)
};

const char* const kUsage =
    "usage: telerad-gen-dicom --out DIR [options]\n"
    "  --out DIR                 output folder (created); files DIR/s<study>_i<instance>.dcm\n"
    "  --modality CT|CR|DX|MG|OT (default CT)\n"
    "  --studies N               number of studies (default 1), one series each\n"
    "  --instances N             instances per study (default 1)\n"
    "  --rows R --cols C         image size (default 512 x 512), 16-bit MONOCHROME2\n"
    "  --charset none|ISO_IR_192|ISO_IR_144   (default none: no (0008,0005), ASCII names)\n"
    "  --patient-name NAME       UTF-8 on the command line (default TEST^PATIENT)\n"
    "  --patient-id ID           (default P<seed>)\n"
    "  --birth-date YYYYMMDD     (default 19700101)\n"
    "  --sex M|F|O               (default O)\n"
    "  --body-part TERM          Body Part Examined, e.g. CHEST, ABDOMEN (default: CHEST for\n"
    "                            CR and DX, BREAST for MG, none for CT and OT)\n"
    "  --accession ACC           same value for every study (default A<seed>S<study>)\n"
    "  --seed N                  drives UIDs and pixel pattern (default 1)\n"
    "  --transfer-syntax explicit|implicit   little endian (default explicit)\n"
    "  --defect none|missing-sop-uid|missing-study-uid|long-uid|path-uid|bad-uid-chars|\n"
    "           truncated|bad-sop-class|sop-mismatch|deep-nesting|many-elements|\n"
    "           lying-length\n"
    "  --hostile-size N          nesting depth of deep-nesting, items of many-elements\n"
    "                            (default 100000 and 1000001: past the server's limits)\n"
    "  --help\n"
    "stdout: one line per study \"<StudyInstanceUID> <instances>\" (\"-\" if the study has no "
    "UID)\n";

[[noreturn]] void usage_error(const std::string& msg) {
  std::fprintf(stderr, "telerad-gen-dicom: %s\n(try --help)\n", msg.c_str());
  std::exit(2);
}

[[noreturn]] void fail(const std::string& msg) {
  std::fprintf(stderr, "telerad-gen-dicom: %s\n", msg.c_str());
  std::exit(1);
}

unsigned long parse_count(const std::string& opt, const std::string& v, unsigned long lo,
                          unsigned long hi) {
  if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos)
    usage_error(opt + " needs a non-negative integer, got '" + v + "'");
  errno = 0;
  unsigned long n = std::strtoul(v.c_str(), nullptr, 10);
  if (errno != 0 || n < lo || n > hi)
    usage_error(opt + " out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return n;
}

bool one_of(const std::string& v, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed)
    if (v == a) return true;
  return false;
}

Options parse_args(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    static const char* const kKnown[] = {
        "--out",          "--modality",  "--studies",      "--instances",       "--rows",
        "--cols",         "--charset",   "--patient-name", "--patient-id",      "--birth-date",
        "--sex",          "--accession", "--seed",         "--transfer-syntax", "--defect",
        "--hostile-size", "--body-part"};
    {
      const std::string name = a.substr(0, a.find('='));
      bool known = false;
      for (const char* k : kKnown) known = known || name == k;
      if (!known) usage_error("unknown option '" + name + "'");
    }
    std::string v;
    // Accept both "--opt value" and "--opt=value".
    std::size_t eq = a.find('=');
    if (a.rfind("--", 0) == 0 && eq != std::string::npos) {
      v = a.substr(eq + 1);
      a = a.substr(0, eq);
    } else {
      if (i + 1 >= argc) usage_error(a + " needs a value");
      v = argv[++i];
    }
    if (a == "--out")
      o.out = v;
    else if (a == "--modality") {
      if (!one_of(v, {"CT", "CR", "DX", "MG", "OT"})) usage_error("bad --modality '" + v + "'");
      o.modality = v;
    } else if (a == "--studies")
      o.studies = parse_count(a, v, 1, 999999);
    else if (a == "--instances")
      o.instances = parse_count(a, v, 1, 999999);
    else if (a == "--rows")
      o.rows = parse_count(a, v, 1, 65535);
    else if (a == "--cols")
      o.cols = parse_count(a, v, 1, 65535);
    else if (a == "--charset") {
      if (!one_of(v, {"none", "ISO_IR_192", "ISO_IR_144"}))
        usage_error("bad --charset '" + v + "'");
      o.charset = v;
    } else if (a == "--patient-name")
      o.patient_name = v;
    else if (a == "--patient-id")
      o.patient_id = v;
    else if (a == "--birth-date") {
      if (v.size() != 8 || v.find_first_not_of("0123456789") != std::string::npos)
        usage_error("--birth-date needs YYYYMMDD");
      o.birth_date = v;
    } else if (a == "--sex") {
      if (!one_of(v, {"M", "F", "O"})) usage_error("bad --sex '" + v + "'");
      o.sex = v;
    } else if (a == "--body-part") {
      // A Code String: upper case, digits, space and underscore, at most 16 characters.
      if (v.empty() || v.size() > 16 ||
          v.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ ") != std::string::npos)
        usage_error("bad --body-part '" + v + "'");
      o.body_part = v;
    } else if (a == "--accession") {
      o.accession = v;
      o.accession_set = true;
    } else if (a == "--seed")
      o.seed = parse_count(a, v, 0, 4294967295UL);
    else if (a == "--transfer-syntax") {
      if (!one_of(v, {"explicit", "implicit"})) usage_error("bad --transfer-syntax '" + v + "'");
      o.transfer_syntax = v;
    } else if (a == "--defect") {
      if (!one_of(v, {"none", "missing-sop-uid", "missing-study-uid", "long-uid", "path-uid",
                      "bad-uid-chars", "truncated", "bad-sop-class", "sop-mismatch", "deep-nesting",
                      "many-elements", "lying-length"}))
        usage_error("bad --defect '" + v + "'");
      o.defect = v;
    } else if (a == "--hostile-size")
      o.hostile_size = parse_count(a, v, 1, 10000000);
    else
      usage_error("unknown option '" + a + "'");
  }
  if (o.out.empty()) usage_error("--out DIR is required");
  if (o.patient_id.empty()) o.patient_id = "P" + std::to_string(o.seed);
  return o;
}

// mkdir -p
void make_dirs(const std::string& path) {
  std::string cur;
  std::size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    cur = path.substr(0, pos);
    if (cur.empty()) continue;
    if (mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST)
      fail("cannot create " + cur + ": " + std::strerror(errno));
  }
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) fail(path + " is not a directory");
}

std::string utf8_to_iso8859_5(const std::string& in) {
  iconv_t cd = iconv_open("ISO-8859-5", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) fail("iconv_open(ISO-8859-5) failed");
  std::string out(in.size() * 2 + 4, '\0');
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char* dst = &out[0];
  size_t dst_left = out.size();
  size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
  iconv_close(cd);
  if (r == static_cast<size_t>(-1) || r != 0)  // r > 0: irreversible (approximated) conversions
    fail("patient name '" + in + "' is not representable in ISO 8859-5 (ISO_IR 144)");
  out.resize(out.size() - dst_left);
  return out;
}

struct ModalityInfo {
  const char* sop_class;
  int code;
  unsigned short bits_stored;
  const char* description;
};

ModalityInfo modality_info(const std::string& m) {
  if (m == "CT") return {UID_CTImageStorage, 1, 12, "CT CHEST"};
  if (m == "CR") return {UID_ComputedRadiographyImageStorage, 2, 12, "CR CHEST PA"};
  if (m == "DX") return {UID_DigitalXRayImageStorageForPresentation, 3, 12, "DX CHEST PA"};
  if (m == "MG")
    return {UID_DigitalMammographyXRayImageStorageForPresentation, 4, 12, "MG SCREENING"};
  return {UID_SecondaryCaptureImageStorage, 5, 16, "SECONDARY CAPTURE"};
}

std::string pad(unsigned long n, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*lu", width, n);
  return buf;
}

int digits(unsigned long n) {
  int d = 1;
  while (n >= 10) {
    n /= 10;
    ++d;
  }
  return d;
}

void put(DcmDataset& ds, const DcmTagKey& tag, const std::string& value) {
  OFCondition c = ds.putAndInsertString(tag, value.c_str());
  if (c.bad()) fail(std::string("cannot set ") + DcmTag(tag).getTagName() + ": " + c.text());
}

void put16(DcmDataset& ds, const DcmTagKey& tag, Uint16 value) {
  OFCondition c = ds.putAndInsertUint16(tag, value);
  if (c.bad()) fail(std::string("cannot set ") + DcmTag(tag).getTagName() + ": " + c.text());
}

void le16(std::string& b, unsigned v) {
  b += static_cast<char>(v & 0xFF);
  b += static_cast<char>((v >> 8) & 0xFF);
}

void le32(std::string& b, uint32_t v) {
  le16(b, v & 0xFFFF);
  le16(b, v >> 16);
}

// Header of a (FFFA,FFFA) sequence of `length` bytes (0xFFFFFFFF: undefined).
void signatures_sequence(std::string& b, uint32_t length, bool implicit) {
  le16(b, 0xFFFA);
  le16(b, 0xFFFA);
  if (!implicit) {
    b += "SQ";
    le16(b, 0);
  }
  le32(b, length);
}

void item(std::string& b, uint16_t element, uint32_t length) {
  le16(b, 0xFFFE);
  le16(b, element);
  le32(b, length);
}

// Appends one of the hostile structures the header comment lists to the data set.
// `size` (0: the default) is the nesting depth or the item count.
void append_hostile_sequence(const std::string& path, const std::string& defect, bool implicit,
                             unsigned long size) {
  constexpr uint32_t kUndefined = 0xFFFFFFFF;
  std::string b;
  if (defect == "deep-nesting") {
    const unsigned long depth = size != 0 ? size : 100000;
    for (unsigned long d = 0; d < depth; ++d) {
      signatures_sequence(b, kUndefined, implicit);
      item(b, 0xE000, kUndefined);
    }
    for (unsigned long d = 0; d < depth; ++d) {
      item(b, 0xE00D, 0);
      item(b, 0xE0DD, 0);
    }
  } else if (defect == "many-elements") {
    signatures_sequence(b, kUndefined, implicit);
    const unsigned long items = size != 0 ? size : 1000001;
    for (unsigned long i = 0; i < items; ++i) item(b, 0xE000, 0);
    item(b, 0xE0DD, 0);
  } else {
    signatures_sequence(b, 16, implicit);
    item(b, 0xE000, 1 << 20);
    b += std::string(8, '\0');
  }
  FILE* f = std::fopen(path.c_str(), "ab");
  if (f == nullptr || std::fwrite(b.data(), 1, b.size(), f) != b.size() || std::fclose(f) != 0)
    fail("cannot append to " + path + ": " + std::strerror(errno));
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_args(argc, argv);
  OFLog::configure(OFLogger::ERROR_LOG_LEVEL);

  const ModalityInfo mi = modality_info(o.modality);
  const E_TransferSyntax xfer =
      o.transfer_syntax == "implicit" ? EXS_LittleEndianImplicit : EXS_LittleEndianExplicit;

  std::string patient_name = o.patient_name;
  if (o.charset == "ISO_IR_144") patient_name = utf8_to_iso8859_5(o.patient_name);
  if (o.charset == "none") {
    for (unsigned char ch : o.patient_name)
      if (ch >= 0x80) {
        std::fprintf(stderr,
                     "telerad-gen-dicom: warning: non-ASCII patient name without --charset\n");
        break;
      }
  }

  make_dirs(o.out);

  const std::string base = kRoot + std::to_string(o.seed) + "." + std::to_string(mi.code) + ".";
  const int study_width = std::max(3, digits(o.studies));
  const int inst_width = std::max(4, digits(o.instances));
  const std::size_t npix = static_cast<std::size_t>(o.rows) * o.cols;
  const Uint16 mask = static_cast<Uint16>((1u << mi.bits_stored) - 1u);

  for (unsigned long s = 1; s <= o.studies; ++s) {
    const std::string sn = std::to_string(s);
    std::string study_uid = base + "1." + sn;
    std::string series_uid = base + "2." + sn;
    const std::string for_uid = base + "4." + sn;
    if (o.defect == "long-uid") {
      // One extra all-digit component without a leading zero, up to exactly 70 characters.
      std::string extra = ".";
      while (study_uid.size() + extra.size() < 70)
        extra += static_cast<char>('1' + (extra.size() - 1) % 9);
      study_uid += extra;
    } else if (o.defect == "bad-uid-chars") {
      study_uid = "1.2.abc." + std::to_string(o.seed) + "." + sn;
    } else if (o.defect == "path-uid") {
      series_uid += "/../../x";
    }
    const std::string accession =
        o.accession_set ? o.accession : "A" + std::to_string(o.seed) + "S" + sn;
    char study_date[16];
    std::snprintf(study_date, sizeof study_date, "2024%02lu%02lu", 1 + (s - 1) / 28 % 12,
                  1 + (s - 1) % 28);

    for (unsigned long i = 1; i <= o.instances; ++i) {
      const std::string in = std::to_string(i);
      const std::string sop_uid = base + "3." + sn + "." + in;
      DcmFileFormat ff;
      DcmDataset& ds = *ff.getDataset();

      if (o.charset == "ISO_IR_192") put(ds, DCM_SpecificCharacterSet, "ISO_IR 192");
      if (o.charset == "ISO_IR_144") put(ds, DCM_SpecificCharacterSet, "ISO_IR 144");
      if (o.modality == "CT")
        put(ds, DCM_ImageType, "ORIGINAL\\PRIMARY\\AXIAL");
      else
        put(ds, DCM_ImageType, "ORIGINAL\\PRIMARY");
      put(ds, DCM_SOPClassUID, o.defect == "bad-sop-class" ? "1.2.3.4.5.6.7" : mi.sop_class);
      if (o.defect != "missing-sop-uid") put(ds, DCM_SOPInstanceUID, sop_uid);
      put(ds, DCM_StudyDate, study_date);
      put(ds, DCM_SeriesDate, study_date);
      put(ds, DCM_ContentDate, study_date);
      put(ds, DCM_StudyTime, "120000");
      put(ds, DCM_SeriesTime, "120100");
      put(ds, DCM_ContentTime, "120200");
      put(ds, DCM_AccessionNumber, accession);
      put(ds, DCM_Modality, o.modality);
      if (o.modality == "DX" || o.modality == "MG")
        put(ds, DCM_PresentationIntentType, "FOR PRESENTATION");
      if (o.modality == "OT") put(ds, DCM_ConversionType, "WSD");
      put(ds, DCM_Manufacturer, "TELERAD-TEST");
      put(ds, DCM_ReferringPhysicianName, "");
      put(ds, DCM_StudyDescription, std::string(mi.description) + " " + sn);
      put(ds, DCM_SeriesDescription, std::string(o.modality) + " SERIES " + sn);
      put(ds, DCM_PatientName, patient_name);
      put(ds, DCM_PatientID, o.patient_id);
      put(ds, DCM_PatientBirthDate, o.birth_date);
      put(ds, DCM_PatientSex, o.sex);
      if (o.modality == "CT") {
        put(ds, DCM_SliceThickness, "1.25");
        put(ds, DCM_KVP, "120");
      }
      const bool projection = o.modality == "CR" || o.modality == "DX" || o.modality == "MG";
      if (!o.body_part.empty())
        put(ds, DCM_BodyPartExamined, o.body_part);
      else if (projection)
        put(ds, DCM_BodyPartExamined, o.modality == "MG" ? "BREAST" : "CHEST");
      if (projection) put(ds, DCM_ViewPosition, o.modality == "MG" ? "CC" : "PA");
      if (o.defect != "missing-study-uid") put(ds, DCM_StudyInstanceUID, study_uid);
      put(ds, DCM_SeriesInstanceUID, series_uid);
      put(ds, DCM_StudyID, sn);
      put(ds, DCM_SeriesNumber, "1");
      put(ds, DCM_AcquisitionNumber, "1");
      put(ds, DCM_InstanceNumber, in);
      put(ds, DCM_PatientOrientation, o.modality == "CT" ? "" : "L\\F");
      if (o.modality == "CT") {
        char pos[64];
        std::snprintf(pos, sizeof pos, "-250\\-250\\%.2f", -1.25 * static_cast<double>(i));
        put(ds, DCM_ImagePositionPatient, pos);
        put(ds, DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
        put(ds, DCM_FrameOfReferenceUID, for_uid);
        put(ds, DCM_PositionReferenceIndicator, "");
        char sl[32];
        std::snprintf(sl, sizeof sl, "%.2f", -1.25 * static_cast<double>(i));
        put(ds, DCM_SliceLocation, sl);
      }
      put16(ds, DCM_SamplesPerPixel, 1);
      put(ds, DCM_PhotometricInterpretation, "MONOCHROME2");
      put16(ds, DCM_Rows, static_cast<Uint16>(o.rows));
      put16(ds, DCM_Columns, static_cast<Uint16>(o.cols));
      if (o.modality != "OT") put(ds, DCM_PixelSpacing, "0.5\\0.5");
      put16(ds, DCM_BitsAllocated, 16);
      put16(ds, DCM_BitsStored, mi.bits_stored);
      put16(ds, DCM_HighBit, static_cast<Uint16>(mi.bits_stored - 1));
      put16(ds, DCM_PixelRepresentation, 0);
      if (o.modality == "CT") {
        put(ds, DCM_WindowCenter, "40");
        put(ds, DCM_WindowWidth, "400");
        put(ds, DCM_RescaleIntercept, "-1024");
        put(ds, DCM_RescaleSlope, "1");
        put(ds, DCM_RescaleType, "HU");
      }

      // Pixel data: a cheap pattern that varies with seed, study, instance, row and column.
      Uint16* pix = nullptr;
      DcmPixelData* pd = new DcmPixelData(DcmTag(DCM_PixelData, EVR_OW));
      OFCondition c = pd->createUint16Array(static_cast<Uint32>(npix), pix);
      if (c.good())
        c = ds.insert(pd, OFTrue);
      else
        delete pd;
      if (c.bad() || pix == nullptr) fail(std::string("cannot create PixelData: ") + c.text());
      // A CT's values stay inside its own window (stored 864..1263 = -160..239 HU, the
      // window 40/400 above), so a thumbnail or a viewer shows the pattern in grey rather
      // than a white square.
      const bool ct = o.modality == "CT";
      const Uint16 k = static_cast<Uint16>(o.seed * 131u + s * 17u + i * 7u);
      for (unsigned long y = 0; y < o.rows; ++y) {
        Uint16* row = pix + y * o.cols;
        const Uint16 ry = static_cast<Uint16>(y * 3u + k);
        for (unsigned long x = 0; x < o.cols; ++x) {
          const Uint16 v = static_cast<Uint16>(ry + static_cast<Uint16>(x) + ((x ^ y) & 0xff));
          row[x] = ct ? static_cast<Uint16>(864u + v % 400u) : static_cast<Uint16>(v & mask);
        }
      }

      const std::string path =
          o.out + "/s" + pad(s, study_width) + "_i" + pad(i, inst_width) + ".dcm";
      if (o.defect == "sop-mismatch" || o.defect == "missing-sop-uid") {
        // Build the meta header from the dataset, then set (0002,0003) ourselves and save the
        // meta header as is: a different UID for sop-mismatch; for missing-sop-uid the UID the
        // dataset should have had (DCMTK would otherwise invent a random one).
        c = ff.validateMetaInfo(xfer, EWM_createNewMeta);
        const std::string meta_uid =
            o.defect == "sop-mismatch" ? base + "9." + sn + "." + in : sop_uid;
        if (c.good())
          c = ff.getMetaInfo()->putAndInsertString(DCM_MediaStorageSOPInstanceUID,
                                                   meta_uid.c_str());
        if (c.good())  // EWM_dontUpdateMeta also keeps the old (0002,0000): recompute it
          c = ff.getMetaInfo()->computeGroupLengthAndPadding(EGL_withGL, EPD_noChange,
                                                             EXS_LittleEndianExplicit);
        if (c.good())
          c = ff.saveFile(path.c_str(), xfer, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0,
                          EWM_dontUpdateMeta);
      } else {
        c = ff.saveFile(path.c_str(), xfer, EET_ExplicitLength, EGL_recalcGL);
      }
      if (c.bad()) fail("cannot write " + path + ": " + c.text());

      if (o.defect == "deep-nesting" || o.defect == "many-elements" || o.defect == "lying-length")
        append_hostile_sequence(path, o.defect, xfer == EXS_LittleEndianImplicit, o.hostile_size);
      if (o.defect == "truncated") {
        struct stat st;
        if (stat(path.c_str(), &st) != 0) fail("stat " + path + ": " + std::strerror(errno));
        if (truncate(path.c_str(), st.st_size * 6 / 10) != 0)
          fail("truncate " + path + ": " + std::strerror(errno));
      }
    }
    std::printf("%s %lu\n", o.defect == "missing-study-uid" ? "-" : study_uid.c_str(), o.instances);
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}
