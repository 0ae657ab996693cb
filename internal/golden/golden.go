// Package golden compares test output with files under testdata/, and
// rewrites them when the tests run with -update.
package golden

import (
	"encoding/json"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/ with what the tests produce")

// Check fails t unless got equals the file at path; with -update it writes
// got to path first. Review the diff of an update like any other change.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if string(want) != string(got) {
		t.Fatalf("%s differs (rerun with -update to accept, then review the diff):\n%s", path, got)
	}
}

// CheckJSON is Check for v as indented JSON.
func CheckJSON(t testing.TB, path string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	Check(t, path, append(got, '\n'))
}
