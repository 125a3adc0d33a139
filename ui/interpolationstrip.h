// InterpolationStrip: the frames decoded along the path between two picked latent points, with
// the path's kind (linear or slerp), the frame count and PNG export.
#pragma once

#include <QList>
#include <QWidget>

#include "analysis/interpolation.h"

class DecoderImageView;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

class InterpolationStrip : public QWidget {
  Q_OBJECT

 public:
  static constexpr int DefaultFrames = 10;
  static constexpr int MaxFrames = 40;
  static constexpr int ExportZoom = 2;  // exported frames are enlarged 2× with crisp pixels
  static constexpr int ExportGap = 2;   // pixels between exported frames

  explicit InterpolationStrip(QWidget* parent = nullptr);

  latent::InterpolationKind kind() const;
  void setKind(latent::InterpolationKind kind);
  int frameCount() const;
  void setFrameCount(int n);

  /// The decoded frames, first to last; an empty list shows `hint` instead.
  void setFrames(const QList<QImage>& frames, const QString& hint = QString());
  const QList<QImage>& frames() const { return m_frames; }
  /// The frames side by side as exported (ExportZoom×, ExportGap apart); null without frames.
  QImage stripImage() const;
  bool exportPng(const QString& path) const;

 signals:
  /// Kind or frame count changed: the explorer decodes the strip again.
  void settingsChanged();

 private:
  void exportDialog();

  QList<QImage> m_frames;
  QComboBox* m_kind = nullptr;
  QSpinBox* m_count = nullptr;
  QPushButton* m_export = nullptr;
  DecoderImageView* m_view = nullptr;
};
