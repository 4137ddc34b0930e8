import { formatSize } from "../lib/portfolio";

/**
 * A file input shown as a button, with the chosen file's name and size (or
 * `hint` before one is chosen) and the pick's error, both tied to the input
 * for screen readers. The input is emptied after each pick, so choosing the
 * same file again is seen.
 */
export function FilePick({ id, accept, label, file, hint, error, onPick }: { id: string; accept: string; label: string; file: File | null; hint: string; error: string; onPick: (files: FileList | null) => void }) {
  return (
    <>
      <div className="dropzone-actions">
        <input
          id={id}
          className="file-input"
          type="file"
          accept={accept}
          aria-describedby={`${id}-chosen${error ? ` ${id}-err` : ""}`}
          onChange={(e) => (onPick(e.target.files), (e.target.value = ""))}
        />
        <label htmlFor={id} className="btn btn-secondary btn-sm">
          {label}
        </label>
      </div>
      <p className="field-hint" id={`${id}-chosen`}>
        {file ? (
          <>
            Chosen: <strong>{file.name}</strong> ({formatSize(file.size)})
          </>
        ) : (
          hint
        )}
      </p>
      {error && (
        <p className="field-error" id={`${id}-err`} role="alert">
          {error}
        </p>
      )}
    </>
  );
}
