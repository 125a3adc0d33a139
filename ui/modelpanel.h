// ModelPanel: a compact form for a latent::ModelSpec (architecture, regularisation, training),
// with a "what will be built" line and the spec's own validation message when it cannot be built.
#pragma once

#include <QWidget>

#include "models/modelspec.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

/// Every field has a tooltip explaining the concept. While training, only the learning rate and
/// beta stay editable (the trainer takes them mid-run); the rest is locked.
class ModelPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ModelPanel(QWidget* parent = nullptr);

  /// Dense AE 256→16, ReLU, MSE with a sigmoid output, Adam lr 1e-3, batch 128, 10 epochs.
  static latent::ModelSpec defaultSpec();

  void setSpec(const latent::ModelSpec& spec);
  /// The spec the form describes (fields the form does not show, such as dropout or the
  /// validation fraction, keep their setSpec values). Throws latent::Error when a text field does
  /// not parse (isValid() is false then).
  latent::ModelSpec spec() const;
  /// Features per sample of the current dataset, as flat values (0: no dataset).
  void setInputSize(int inputSize);
  /// The current dataset's sample shape: convolutional models need images (C×H×W), LSTM models
  /// sequences (or single-channel images, read row by row).
  void setInputShape(const latent::Shape& shape);
  void setTrainingActive(bool active);

  bool isValid() const { return m_valid; }
  // For tests.
  QString errorText() const;
  QString buildText() const;

 signals:
  /// Any field changed; `valid` says whether the spec fits the current input size.
  void specChanged(bool valid);
  /// Emitted while training too, so a session can apply them mid-run.
  void learningRateEdited(float learningRate);
  void betaEdited(float beta);

 private:
  void buildArchitecture(QFormLayout* form);
  void buildRegularisation(QFormLayout* form);
  void buildTraining(QFormLayout* form);
  void connectFields();
  void onKindChanged();
  void suggestLstmSettings();
  void updateEnabledFields();
  void refresh();
  QString describeBuild(const latent::ModelSpec& spec) const;

  latent::ModelSpec m_base;    // the last setSpec: keeps the fields the form does not show
  latent::Shape m_inputShape;  // empty: no dataset
  bool m_valid = false;
  bool m_trainingActive = false;
  bool m_settingSpec = false;  // setSpec in progress: one refresh at the end, no nudges

  QComboBox* m_kind = nullptr;
  QLineEdit* m_convChannels = nullptr;
  QSpinBox* m_convKernel = nullptr;
  QSpinBox* m_convStride = nullptr;
  QLineEdit* m_hidden = nullptr;
  QSpinBox* m_latent = nullptr;
  QComboBox* m_activation = nullptr;
  QComboBox* m_codeActivation = nullptr;
  QComboBox* m_loss = nullptr;
  QComboBox* m_outputActivation = nullptr;
  QComboBox* m_noiseKind = nullptr;
  QDoubleSpinBox* m_noiseLevel = nullptr;
  QComboBox* m_sparsityKind = nullptr;
  QLineEdit* m_sparsityWeight = nullptr;
  QDoubleSpinBox* m_sparsityTarget = nullptr;
  QDoubleSpinBox* m_beta = nullptr;
  QSpinBox* m_klWarmup = nullptr;
  QCheckBox* m_tied = nullptr;
  QDoubleSpinBox* m_dropout = nullptr;
  QComboBox* m_optimizer = nullptr;
  QComboBox* m_precision = nullptr;
  QLineEdit* m_learningRate = nullptr;
  QComboBox* m_lrSchedule = nullptr;
  QSpinBox* m_lrWarmup = nullptr;
  QDoubleSpinBox* m_maxGradNorm = nullptr;
  QSpinBox* m_batchSize = nullptr;
  QSpinBox* m_epochs = nullptr;
  QSpinBox* m_threads = nullptr;
  QSpinBox* m_seed = nullptr;
  QLabel* m_build = nullptr;
  QLabel* m_error = nullptr;
};
