#!/usr/bin/env bash
# Installs the Debian packages xietong needs at run time: LibreOffice (docx -> PDF, xlsx -> CSV),
# Chinese fonts, poppler (pdftotext/pdffonts/pdftoppm for checks and PDF page images) and qpdf.
# Skips what is already installed, so it is cheap to run on every quick start.
set -euo pipefail

packages=(
  libreoffice-writer-nogui   # docx -> PDF, headless
  libreoffice-calc-nogui     # xlsx -> CSV in tests, and the bureau's spreadsheets
  python3-uno                # a persistent LibreOffice listener client
  fonts-noto-cjk             # 宋体/仿宋/小标宋/黑体 stand-ins (Noto Serif/Sans CJK SC)
  fonts-arphic-gkai00mp      # 楷体 stand-in (AR PL KaitiM GB)
  # Other typefaces people print the forms in: bench:ocr's corpus (scripts/corpus) typesets the
  # forms in each, so ingest is measured on faces we do not print with.
  fonts-arphic-uming fonts-arphic-ukai fonts-arphic-gbsn00lp
  fonts-wqy-zenhei fonts-wqy-microhei fonts-lxgw-wenkai
  poppler-utils              # pdftoppm, pdftotext, pdffonts, pdfimages
  qpdf                       # encrypted-PDF detection and repair
)
if [ "${XIETONG_WITH_BROWSER:-1}" = "1" ]; then
  packages+=(chromium)       # review page browser tests (playwright-core drives it)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "[setup] system packages already present (${#packages[@]})"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "[setup] need root to install: ${missing[*]}" >&2
    echo "[setup] run as root, or: apt-get install ${missing[*]}" >&2
    exit 20
  fi
fi

echo "[setup] installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
echo "[setup] done"
