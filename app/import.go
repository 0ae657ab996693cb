package app

import (
	"context"

	"tandem/internal/ingest"
	"tandem/internal/transcript"
)

// FileChooser asks the agent to pick a file; "" means cancelled.
type FileChooser interface {
	OpenFile(title, patterns string) (string, error)
}

// ImportProgress is sent as EventImportProgress while a transcript imports.
type ImportProgress struct {
	Path  string `json:"path"`
	Done  int64  `json:"done"`
	Total int64  `json:"total"`
}

// ImportService imports transcript files with progress and a report.
type ImportService struct {
	ctx    context.Context
	ingest *ingest.Service
	files  FileChooser
	events Emitter
	job    cancelSlot
}

func NewImportService(ctx context.Context, ing *ingest.Service, files FileChooser, events Emitter) *ImportService {
	return &ImportService{ctx: ctx, ingest: ing, files: files, events: events}
}

// Choose asks for a transcript file; "" means the agent cancelled.
func (s *ImportService) Choose() (string, error) {
	return s.files.OpenFile("Transcripts", "*.json;*.jsonl;*.csv;*.txt")
}

// Import imports one file, sending progress as it goes, and returns what
// was added and what was skipped and why.
func (s *ImportService) Import(path string) (transcript.Report, error) {
	ctx, done := s.job.start(s.ctx)
	defer done()
	return transcript.ImportFile(ctx, s.ingest, path, transcript.Options{
		Progress: func(done, total int64) {
			s.events.Emit(EventImportProgress, ImportProgress{Path: path, Done: done, Total: total})
		},
	})
}

// Cancel stops a running import; what was imported stays.
func (s *ImportService) Cancel() { s.job.stop() }
