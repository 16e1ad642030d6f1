# Teaches a copy of DJL 0.35.1's PyTorch JNI sources the bfloat16 type, which that release lacks:
# its dtype mapping (djl_pytorch_utils.h) knows DJL's types 0-8 only, and any other type ends the
# process (a bare `throw;`). DJL's Java side numbers DataType.BFLOAT16 11 (its ordinal), so the
# two mappings gain that one case each. Sourced by build-jni.sh; usage: djl_bfloat16_patch SRC_DIR
djl_bfloat16_patch() {
  local h=$1/src/main/native/djl_pytorch_utils.h
  [[ -f $h ]] || { echo "error: $h: no such file (not DJL 0.35.1's sources?)" >&2; return 2; }
  grep -q kBFloat16 "$h" && return 0
  sed -i \
    -e 's|^\(\s*\)} else if (torch::kComplexFloat == type) {|\1} else if (torch::kBFloat16 == type) {\n\1  return 11;\n&|' \
    -e 's|^\(\s*\)case 8:$|\1case 11:\n\1  return torch::kBFloat16;\n&|' "$h"
  [[ $(grep -c kBFloat16 "$h") == 2 ]] || { echo "error: could not add bfloat16 to $h (unexpected source)" >&2; return 2; }
}
