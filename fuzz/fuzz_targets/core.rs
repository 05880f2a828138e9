#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| okta_auth_wasm_fuzz::core(data));
