// Image folders as datasets, decoded with Qt's image readers (QImageReader), which is why this
// lives outside the Qt-free core. installImageFolderLoader() plugs it into latent::loadDataset.
#pragma once

#include <string>

#include "io/loadoptions.h"

/// Loads every image under `path`: PNG, JPEG, BMP, PGM/PPM/PBM, GIF (first frame) and whatever
/// else this Qt has plugins for (WebP, TIFF, … when installed), recognised by content.
///  - Sub-folders are classes (names sorted by code point; images found at any depth below
///    each); without sub-folders holding files, the folder's own images are unlabelled. Files
///    beside class folders, hidden files and unreadable files are skipped and listed.
///  - Every image is resized (smooth, aspect ratio not kept) to options.imageWidth ×
///    options.imageHeight, or when those are 0 to the most common size in the folder.
///  - Channels: 1 when every image is grayscale (R = G = B everywhere), else RGB (3); alpha is
///    composited on white; EXIF orientation is applied.
///  - Values: pixel / 255 (Normalisation Range01, scale 255). Decoding runs on all cores.
/// Throws latent::Error naming the folder: Io (not a folder), Format (no readable image; the
/// skipped files listed), TooLarge (the float32 samples would exceed options.maxBytes; checked
/// before decoding).
latent::LoadResult loadImageFolder(const std::string& path,
                                   const latent::LoadOptions& options = {});

/// Installs loadImageFolder as core's image-folder loader (latent::setImageFolderLoader). Call
/// once at start-up, before datasets are loaded.
void installImageFolderLoader();
