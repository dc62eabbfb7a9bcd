<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>Desktop</name>
    <message>
        <source>Payment Manager: monitors and inspects the transfers of a DFSP.</source>
        <translation>Payment Manager : surveille et inspecte les transferts d&apos;un DFSP.</translation>
    </message>
    <message>
        <source>Show the transfer record (SQLite file) &lt;path&gt; instead of starting the Sandbox.</source>
        <translation>Afficher l&apos;enregistrement de transferts (fichier SQLite) &lt;path&gt; au lieu de démarrer la Sandbox.</translation>
    </message>
    <message>
        <source>Do not start the Sandbox.</source>
        <translation>Ne pas démarrer la Sandbox.</translation>
    </message>
    <message>
        <source>Sandbox transfers per second (default 2).</source>
        <translation>Transferts par seconde de la Sandbox (2 par défaut).</translation>
    </message>
    <message>
        <source>--rate: &apos;%1&apos; is not a number of transfers per second</source>
        <translation>--rate : « %1 » n&apos;est pas un nombre de transferts par seconde</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::ChartPanel</name>
    <message>
        <source>Chart. Drag to zoom into a time range, use the wheel or plus and minus to zoom, the arrow keys or the right mouse button to pan, and Home to reset.</source>
        <translation>Graphique. Faites glisser pour zoomer sur une période, utilisez la molette ou plus et moins pour zoomer, les flèches ou le bouton droit de la souris pour vous déplacer, et Début pour réinitialiser.</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>Réinitialiser le zoom</translation>
    </message>
    <message>
        <source>Reset zoom of %1</source>
        <translation>Réinitialiser le zoom de %1</translation>
    </message>
    <message>
        <source>PNG…</source>
        <translation>PNG…</translation>
    </message>
    <message>
        <source>Export %1 as PNG</source>
        <translation>Exporter %1 en PNG</translation>
    </message>
    <message>
        <source>SVG…</source>
        <translation>SVG…</translation>
    </message>
    <message>
        <source>Export %1 as SVG</source>
        <translation>Exporter %1 en SVG</translation>
    </message>
    <message>
        <source>CSV…</source>
        <translation>CSV…</translation>
    </message>
    <message>
        <source>Export %1 as CSV</source>
        <translation>Exporter %1 en CSV</translation>
    </message>
    <message>
        <source>time (UTC)</source>
        <translation>heure (UTC)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Image PNG (*.png)</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>Image SVG (*.svg)</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>Fichier CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>Exporter %1</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Échec de l&apos;exportation</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>Impossible d&apos;écrire %1.</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::ExportTexts</name>
    <message>
        <source>Transfer ID</source>
        <translation>ID du transfert</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Sens</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Initiated (UTC)</source>
        <translation>Initié (UTC)</translation>
    </message>
    <message>
        <source>Completed (UTC)</source>
        <translation>Terminé (UTC)</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Devise</translation>
    </message>
    <message>
        <source>Payer ID type</source>
        <translation>Type d&apos;ID du payeur</translation>
    </message>
    <message>
        <source>Payer ID</source>
        <translation>ID du payeur</translation>
    </message>
    <message>
        <source>Payer FSP</source>
        <translation>FSP du payeur</translation>
    </message>
    <message>
        <source>Payee ID type</source>
        <translation>Type d&apos;ID du bénéficiaire</translation>
    </message>
    <message>
        <source>Payee ID</source>
        <translation>ID du bénéficiaire</translation>
    </message>
    <message>
        <source>Payee sub-ID</source>
        <translation>Sous-ID du bénéficiaire</translation>
    </message>
    <message>
        <source>Payee FSP</source>
        <translation>FSP du bénéficiaire</translation>
    </message>
    <message>
        <source>Home transaction ID</source>
        <translation>ID de transaction interne</translation>
    </message>
    <message>
        <source>Error code</source>
        <translation>Code d&apos;erreur</translation>
    </message>
    <message>
        <source>Error description</source>
        <translation>Description de l&apos;erreur</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>impossible d&apos;écrire %1 : %2</translation>
    </message>
    <message>
        <source>cannot write %1</source>
        <translation>impossible d&apos;écrire %1</translation>
    </message>
    <message>
        <source>export cancelled</source>
        <translation>exportation annulée</translation>
    </message>
    <message>
        <source>more rows than a spreadsheet holds: narrow the search or export CSV</source>
        <translation>plus de lignes qu&apos;une feuille de calcul n&apos;en contient : affinez la recherche ou exportez en CSV</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::FindPage</name>
    <message>
        <source>part of a transfer ID</source>
        <translation>partie d&apos;un ID de transfert</translation>
    </message>
    <message>
        <source>Transfer ID contains</source>
        <translation>L&apos;ID du transfert contient</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>N&apos;importe quand</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Dernière heure</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Dernières 24 heures</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Période personnalisée</translation>
    </message>
    <message>
        <source>Date range</source>
        <translation>Période</translation>
    </message>
    <message>
        <source>Initiated from</source>
        <translation>Initié à partir du</translation>
    </message>
    <message>
        <source>Initiated before</source>
        <translation>Initié avant le</translation>
    </message>
    <message>
        <source>Both directions</source>
        <translation>Les deux sens</translation>
    </message>
    <message>
        <source>Outbound (we pay)</source>
        <translation>Sortant (nous payons)</translation>
    </message>
    <message>
        <source>Inbound (we receive)</source>
        <translation>Entrant (nous recevons)</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Sens</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Tous les statuts</translation>
    </message>
    <message>
        <source>Successful</source>
        <translation>Réussis</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échoués</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Payee ID type</source>
        <translation>Type d&apos;ID du bénéficiaire</translation>
    </message>
    <message>
        <source>Payee ID value</source>
        <translation>Valeur de l&apos;ID du bénéficiaire</translation>
    </message>
    <message>
        <source>Payee sub-ID</source>
        <translation>Sous-ID du bénéficiaire</translation>
    </message>
    <message>
        <source>FSP ID</source>
        <translation>ID du FSP</translation>
    </message>
    <message>
        <source>Counterparty institution</source>
        <translation>Institution de la contrepartie</translation>
    </message>
    <message>
        <source>e.g. USD</source>
        <translation>p. ex. USD</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Devise</translation>
    </message>
    <message>
        <source>Minimum amount</source>
        <translation>Montant minimum</translation>
    </message>
    <message>
        <source>min</source>
        <translation>minimum</translation>
    </message>
    <message>
        <source>Maximum amount</source>
        <translation>Montant maximum</translation>
    </message>
    <message>
        <source>max</source>
        <translation>maximum</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Rechercher</translation>
    </message>
    <message>
        <source>Search transfers</source>
        <translation>Rechercher des transferts</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Effacer</translation>
    </message>
    <message>
        <source>Clear the filters</source>
        <translation>Effacer les filtres</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>Exporter en &amp;CSV…</translation>
    </message>
    <message>
        <source>Export the results as CSV</source>
        <translation>Exporter les résultats en CSV</translation>
    </message>
    <message>
        <source>Export &amp;XLSX…</source>
        <translation>Exporter en &amp;XLSX…</translation>
    </message>
    <message>
        <source>Export the results as an Excel workbook</source>
        <translation>Exporter les résultats dans un classeur Excel</translation>
    </message>
    <message>
        <source>Transfer &amp;ID:</source>
        <translation>&amp;ID du transfert :</translation>
    </message>
    <message>
        <source>&amp;Date:</source>
        <translation>&amp;Date :</translation>
    </message>
    <message>
        <source>Di&amp;rection:</source>
        <translation>&amp;Sens :</translation>
    </message>
    <message>
        <source>S&amp;tatus:</source>
        <translation>S&amp;tatut :</translation>
    </message>
    <message>
        <source>C&amp;ounterparty:</source>
        <translation>C&amp;ontrepartie :</translation>
    </message>
    <message>
        <source>C&amp;urrency:</source>
        <translation>Dev&amp;ise :</translation>
    </message>
    <message>
        <source>&amp;Payee ID type:</source>
        <translation>Type d&apos;ID du &amp;bénéficiaire :</translation>
    </message>
    <message>
        <source>Payee ID &amp;value:</source>
        <translation>&amp;Valeur de l&apos;ID :</translation>
    </message>
    <message>
        <source>Sub-I&amp;D:</source>
        <translation>Sous-I&amp;D :</translation>
    </message>
    <message>
        <source>&amp;Amount:</source>
        <translation>&amp;Montant :</translation>
    </message>
    <message>
        <source>Search result count</source>
        <translation>Nombre de résultats</translation>
    </message>
    <message>
        <source>Transfers found</source>
        <translation>Transferts trouvés</translation>
    </message>
    <message>
        <source>Cannot read the store: %1</source>
        <translation>Impossible de lire l&apos;enregistrement : %1</translation>
    </message>
    <message>
        <source>Date: the end must be after the start</source>
        <translation>Date : la fin doit être postérieure au début</translation>
    </message>
    <message>
        <source>Amount: choose a currency to filter by amount</source>
        <translation>Montant : choisissez une devise pour filtrer par montant</translation>
    </message>
    <message>
        <source>Amount: &apos;%1&apos; is not an amount in %2</source>
        <translation>Montant : « %1 » n&apos;est pas un montant en %2</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message>
        <source>%1 transfers found, %2 loaded</source>
        <translation>%1 transferts trouvés, %2 chargés</translation>
    </message>
    <message>
        <source>%1 loaded, counting…</source>
        <translation>%1 chargés, décompte en cours…</translation>
    </message>
    <message>
        <source>Export transfers</source>
        <translation>Exporter les transferts</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>Fichier CSV (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Classeur Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Exporting transfers…</source>
        <translation>Exportation des transferts…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportation</translation>
    </message>
    <message>
        <source>Export progress</source>
        <translation>Progression de l&apos;exportation</translation>
    </message>
    <message>
        <source>Exported %1 transfers to %2</source>
        <translation>%1 transferts exportés vers %2</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Échec de l&apos;exportation : %1</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::HealthPage</name>
    <message>
        <source>Overall connection health</source>
        <translation>État global des connexions</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Composant</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>Dernier changement</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Composants</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Avertissement</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échoués</translation>
    </message>
    <message>
        <source>Not configured</source>
        <translation>Non configuré</translation>
    </message>
    <message>
        <source>Overall: %1</source>
        <translation>Global : %1</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::Labels</name>
    <message>
        <source>Not signed</source>
        <translation>Non signé</translation>
    </message>
    <message>
        <source>Signed; not verified here: no verification keys folder is set (Settings menu)</source>
        <translation>Signé ; non vérifié ici : aucun dossier de clés de vérification n&apos;est défini (menu Paramètres)</translation>
    </message>
    <message>
        <source>Signed; not verified: no key %1</source>
        <translation>Signé ; non vérifié : pas de clé %1</translation>
    </message>
    <message>
        <source>Signed; not verified: the key %1 does not load (%2)</source>
        <translation>Signé ; non vérifié : la clé %1 ne se charge pas (%2)</translation>
    </message>
    <message>
        <source>Invalid signature: %1 (FSPIOP %2)</source>
        <translation>Signature invalide : %1 (FSPIOP %2)</translation>
    </message>
    <message>
        <source>Valid signature (%1, %2 body) by %3</source>
        <translation>Signature valide (%1, corps %2) de %3</translation>
    </message>
    <message>
        <source>No ILP packet recorded</source>
        <translation>Aucun paquet ILP enregistré</translation>
    </message>
    <message>
        <source>The ILP packet does not decode: %1</source>
        <translation>Le paquet ILP ne se décode pas : %1</translation>
    </message>
    <message>
        <source>Version: %1</source>
        <translation>Version : %1</translation>
    </message>
    <message>
        <source>Amount (minor units): %1</source>
        <translation>Montant (unités mineures) : %1</translation>
    </message>
    <message>
        <source>Account: %1</source>
        <translation>Compte : %1</translation>
    </message>
    <message>
        <source>Destination: %1</source>
        <translation>Destination : %1</translation>
    </message>
    <message>
        <source>Expires at: %1</source>
        <translation>Expire le : %1</translation>
    </message>
    <message>
        <source>Transaction object:</source>
        <translation>Objet de la transaction :</translation>
    </message>
    <message>
        <source>No transfer %1 in the store</source>
        <translation>Aucun transfert %1 dans l&apos;enregistrement</translation>
    </message>
    <message>
        <source>Outbound</source>
        <translation>Sortant</translation>
    </message>
    <message>
        <source>Inbound</source>
        <translation>Entrant</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Successful</source>
        <translation>Réussis</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échoués</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Reçu</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Envoyé</translation>
    </message>
    <message>
        <source>Party lookup</source>
        <translation>Recherche de partie</translation>
    </message>
    <message>
        <source>Quote</source>
        <translation>Devis</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Transfert</translation>
    </message>
    <message>
        <source>No error code</source>
        <translation>Aucun code d&apos;erreur</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::MainWindow</name>
    <message>
        <source>Payment Manager</source>
        <translation>Payment Manager</translation>
    </message>
    <message>
        <source>Product name</source>
        <translation>Nom du produit</translation>
    </message>
    <message>
        <source>Connects your core banking system to a Mojaloop real-time payments hub.</source>
        <translation>Relie votre système bancaire central à un hub de paiements instantanés Mojaloop.</translation>
    </message>
    <message>
        <source>No environment connected</source>
        <translation>Aucun environnement connecté</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;About Payment Manager</source>
        <translation>À &amp;propos de Payment Manager</translation>
    </message>
    <message>
        <source>About Payment Manager</source>
        <translation>À propos de Payment Manager</translation>
    </message>
    <message>
        <source>Payment Manager %1
Connects a DFSP to a Mojaloop hub.</source>
        <translation>Payment Manager %1
Relie un DFSP à un hub Mojaloop.</translation>
    </message>
    <message>
        <source>&amp;Open a transfer record…</source>
        <translation>&amp;Ouvrir un enregistrement de transferts…</translation>
    </message>
    <message>
        <source>Open a transfer record file</source>
        <translation>Ouvrir un fichier d&apos;enregistrement de transferts</translation>
    </message>
    <message>
        <source>Portal pages</source>
        <translation>Pages du portail</translation>
    </message>
    <message>
        <source>Connection &amp;health</source>
        <translation>État des &amp;connexions</translation>
    </message>
    <message>
        <source>Overall connection health</source>
        <translation>État global des connexions</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Environnement</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>&amp;Open transfer record…</source>
        <translation>&amp;Ouvrir un enregistrement de transferts…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>Transfers &amp;overview</source>
        <translation>&amp;Vue d&apos;ensemble des transferts</translation>
    </message>
    <message>
        <source>&amp;Find a transfer</source>
        <translation>Tro&amp;uver un transfert</translation>
    </message>
    <message>
        <source>&amp;Technical dashboard</source>
        <translation>Tableau de bord &amp;technique</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Paramètres</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>JWS &amp;verification keys folder…</source>
        <translation>Dossier des clés de &amp;vérification JWS…</translation>
    </message>
    <message>
        <source>Payment Manager — %1</source>
        <translation>Payment Manager — %1</translation>
    </message>
    <message>
        <source>Cannot open the transfer record: %1</source>
        <translation>Impossible d&apos;ouvrir l&apos;enregistrement de transferts : %1</translation>
    </message>
    <message>
        <source>Transfer record</source>
        <translation>Enregistrement des transferts</translation>
    </message>
    <message>
        <source>Open a transfer record</source>
        <translation>Ouvrir un enregistrement de transferts</translation>
    </message>
    <message>
        <source>Transfer records (*.sqlite *.db);;All files (*)</source>
        <translation>Enregistrements de transferts (*.sqlite *.db);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Folder of the peers&apos; public keys (&lt;fspId&gt;.pem)</source>
        <translation>Dossier des clés publiques des pairs (&lt;fspId&gt;.pem)</translation>
    </message>
    <message>
        <source>The language changes when Payment Manager restarts.</source>
        <translation>La langue change au redémarrage de Payment Manager.</translation>
    </message>
    <message>
        <source>%1 — transfers finished in the last hour: %2</source>
        <translation>%1 — transferts terminés dans la dernière heure : %2</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Restart Payment Manager now to use the new language?</source>
        <translation>Redémarrer Payment Manager maintenant pour utiliser la nouvelle langue ?</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::OverviewPage</name>
    <message>
        <source>Last hour</source>
        <translation>Dernière heure</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Dernières 24 heures</translation>
    </message>
    <message>
        <source>Last week</source>
        <translation>Dernière semaine</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Personnalisée</translation>
    </message>
    <message>
        <source>Time window</source>
        <translation>Période</translation>
    </message>
    <message>
        <source>&amp;Window:</source>
        <translation>&amp;Période :</translation>
    </message>
    <message>
        <source>Custom window start</source>
        <translation>Début de la période personnalisée</translation>
    </message>
    <message>
        <source>Custom window end</source>
        <translation>Fin de la période personnalisée</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>Refresh the overview</source>
        <translation>Actualiser la vue d&apos;ensemble</translation>
    </message>
    <message>
        <source>Overview status</source>
        <translation>État de la vue d&apos;ensemble</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <source>to</source>
        <translation>au</translation>
    </message>
    <message>
        <source>Successful transfers</source>
        <translation>Transferts réussis</translation>
    </message>
    <message>
        <source>Pending transfers</source>
        <translation>Transferts en attente</translation>
    </message>
    <message>
        <source>Failed transfers</source>
        <translation>Transferts échoués</translation>
    </message>
    <message>
        <source>Success rate</source>
        <translation>Taux de réussite</translation>
    </message>
    <message>
        <source>Successful</source>
        <translation>Réussis</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échoués</translation>
    </message>
    <message>
        <source>Success rate per minute</source>
        <translation>Taux de réussite par minute</translation>
    </message>
    <message>
        <source>Average end-to-end time per minute</source>
        <translation>Durée moyenne de bout en bout par minute</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>Transferts</translation>
    </message>
    <message>
        <source>Error breakdown</source>
        <translation>Répartition des erreurs</translation>
    </message>
    <message>
        <source>Initiated</source>
        <translation>Initié</translation>
    </message>
    <message>
        <source>Transfer ID</source>
        <translation>ID du transfert</translation>
    </message>
    <message>
        <source>Counterparty</source>
        <translation>Contrepartie</translation>
    </message>
    <message>
        <source>Latest errors</source>
        <translation>Dernières erreurs</translation>
    </message>
    <message>
        <source>&amp;View all errors</source>
        <translation>&amp;Voir toutes les erreurs</translation>
    </message>
    <message>
        <source>View all failed transfers of the window</source>
        <translation>Voir tous les transferts échoués de la période</translation>
    </message>
    <message>
        <source>Errors by type</source>
        <translation>Erreurs par type</translation>
    </message>
    <message>
        <source>Cannot read the store: %1</source>
        <translation>Impossible de lire l&apos;enregistrement : %1</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>Mis à jour à %1</translation>
    </message>
    <message>
        <source>Success rate (%)</source>
        <translation>Taux de réussite (%)</translation>
    </message>
    <message>
        <source>Average end-to-end time (ms)</source>
        <translation>Durée moyenne de bout en bout (ms)</translation>
    </message>
    <message>
        <source>Percent</source>
        <translation>Pourcentage</translation>
    </message>
    <message>
        <source>Milliseconds</source>
        <translation>Millisecondes</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::SandboxTexts</name>
    <message>
        <source>stopped</source>
        <translation>arrêtée</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>en démarrage</translation>
    </message>
    <message>
        <source>running</source>
        <translation>en marche</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>en arrêt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>en échec</translation>
    </message>
    <message>
        <source>Sandbox: %1</source>
        <translation>Sandbox : %1</translation>
    </message>
    <message>
        <source> — %1 transfers, %2 successful, %3 failed, %4/s</source>
        <translation> — %1 transferts, %2 réussis, %3 échoués, %4/s</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Environnement</translation>
    </message>
    <message>
        <source>Sandbox running</source>
        <translation>Sandbox en marche</translation>
    </message>
    <message>
        <source>JWS keys</source>
        <translation>Clés JWS</translation>
    </message>
    <message>
        <source>Certificates</source>
        <translation>Certificats</translation>
    </message>
    <message>
        <source>the Sandbox runs without TLS</source>
        <translation>la Sandbox fonctionne sans TLS</translation>
    </message>
    <message>
        <source>Hub</source>
        <translation>Hub Mojaloop</translation>
    </message>
    <message>
        <source>Inbound server</source>
        <translation>Serveur entrant</translation>
    </message>
    <message>
        <source>Outbound server</source>
        <translation>Serveur sortant</translation>
    </message>
    <message>
        <source>Core connector</source>
        <translation>Connecteur du système central</translation>
    </message>
    <message>
        <source>Core banking system</source>
        <translation>Système bancaire central</translation>
    </message>
    <message>
        <source>listening on %1:%2</source>
        <translation>à l&apos;écoute sur %1:%2</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::TechnicalPage</name>
    <message>
        <source>Last hour</source>
        <translation>Dernière heure</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Dernières 24 heures</translation>
    </message>
    <message>
        <source>Last week</source>
        <translation>Dernière semaine</translation>
    </message>
    <message>
        <source>Time window</source>
        <translation>Période</translation>
    </message>
    <message>
        <source>&amp;Window:</source>
        <translation>&amp;Période :</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>Refresh the technical dashboard</source>
        <translation>Actualiser le tableau de bord technique</translation>
    </message>
    <message>
        <source>Dashboard status</source>
        <translation>État du tableau de bord</translation>
    </message>
    <message>
        <source>Requests per second</source>
        <translation>Requêtes par seconde</translation>
    </message>
    <message>
        <source>requests/s</source>
        <translation>requêtes/s</translation>
    </message>
    <message>
        <source>Average latency</source>
        <translation>Latence moyenne</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>Opération</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Sens</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requêtes</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Erreurs</translation>
    </message>
    <message>
        <source>Average requests/s</source>
        <translation>Requêtes/s moyennes</translation>
    </message>
    <message>
        <source>Average latency (ms)</source>
        <translation>Latence moyenne (ms)</translation>
    </message>
    <message>
        <source>Highest latency (ms)</source>
        <translation>Latence maximale (ms)</translation>
    </message>
    <message>
        <source>Metrics summary</source>
        <translation>Résumé des métriques</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>Mis à jour à %1</translation>
    </message>
    <message>
        <source>Cannot read the store: %1</source>
        <translation>Impossible de lire l&apos;enregistrement : %1</translation>
    </message>
    <message>
        <source>inbound</source>
        <translation>entrant</translation>
    </message>
    <message>
        <source>outbound</source>
        <translation>sortant</translation>
    </message>
    <message>
        <source>Inbound</source>
        <translation>Entrant</translation>
    </message>
    <message>
        <source>Outbound</source>
        <translation>Sortant</translation>
    </message>
    <message>
        <source>Milliseconds</source>
        <translation>Millisecondes</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::TransferDetailsDialog</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Transfer %1</source>
        <translation>Transfert %1</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <source>Transfer outcome</source>
        <translation>Résultat du transfert</translation>
    </message>
    <message>
        <source>Transfer details</source>
        <translation>Détails du transfert</translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>&amp;Détails</translation>
    </message>
    <message>
        <source>T&amp;erms</source>
        <translation>Con&amp;ditions</translation>
    </message>
    <message>
        <source>&amp;Parties</source>
        <translation>&amp;Intervenants</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <source>Copy the %1 tab</source>
        <translation>Copier l&apos;onglet %1</translation>
    </message>
    <message>
        <source>Identifiers and decoded ILP packet</source>
        <translation>Identifiants et paquet ILP décodé</translation>
    </message>
    <message>
        <source>FSPIOP messages</source>
        <translation>Messages FSPIOP</translation>
    </message>
    <message>
        <source>Message headers and body</source>
        <translation>En-têtes et corps du message</translation>
    </message>
    <message>
        <source>Copy &amp;identifiers</source>
        <translation>Copier les &amp;identifiants</translation>
    </message>
    <message>
        <source>Copy the identifiers and ILP packet</source>
        <translation>Copier les identifiants et le paquet ILP</translation>
    </message>
    <message>
        <source>Copy &amp;message</source>
        <translation>Copier le &amp;message</translation>
    </message>
    <message>
        <source>Copy the selected message</source>
        <translation>Copier le message sélectionné</translation>
    </message>
    <message>
        <source>Identifiers and ILP packet</source>
        <translation>Identifiants et paquet ILP</translation>
    </message>
    <message>
        <source>&amp;Technical</source>
        <translation>&amp;Technique</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>No store is open.</source>
        <translation>Aucun enregistrement n&apos;est ouvert.</translation>
    </message>
    <message>
        <source>%1 — %2 transfer, state %3</source>
        <translation>%1 — transfert %2, état %3</translation>
    </message>
    <message>
        <source>Error %1: %2</source>
        <translation>Erreur %1 : %2</translation>
    </message>
    <message>
        <source>(no code)</source>
        <translation>(sans code)</translation>
    </message>
    <message>
        <source>Transfer ID</source>
        <translation>ID du transfert</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Sens</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Initiated</source>
        <translation>Initié</translation>
    </message>
    <message>
        <source>Last update</source>
        <translation>Dernière mise à jour</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>End-to-end time</source>
        <translation>Durée de bout en bout</translation>
    </message>
    <message>
        <source>Home transaction ID</source>
        <translation>ID de transaction interne</translation>
    </message>
    <message>
        <source>Error code</source>
        <translation>Code d&apos;erreur</translation>
    </message>
    <message>
        <source>Error description</source>
        <translation>Description de l&apos;erreur</translation>
    </message>
    <message>
        <source>Amount type</source>
        <translation>Type de montant</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Transfer amount</source>
        <translation>Montant du transfert</translation>
    </message>
    <message>
        <source>Payee receive amount</source>
        <translation>Montant reçu par le bénéficiaire</translation>
    </message>
    <message>
        <source>Payee FSP fee</source>
        <translation>Frais du FSP du bénéficiaire</translation>
    </message>
    <message>
        <source>Payee FSP commission</source>
        <translation>Commission du FSP du bénéficiaire</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>Expiration</translation>
    </message>
    <message>
        <source>Payer</source>
        <translation>Payeur</translation>
    </message>
    <message>
        <source>Payee</source>
        <translation>Bénéficiaire</translation>
    </message>
    <message>
        <source>%1 name</source>
        <translation>Nom (%1)</translation>
    </message>
    <message>
        <source>%1 ID type</source>
        <translation>Type d&apos;ID (%1)</translation>
    </message>
    <message>
        <source>%1 ID</source>
        <translation>ID (%1)</translation>
    </message>
    <message>
        <source>%1 sub-ID</source>
        <translation>Sous-ID (%1)</translation>
    </message>
    <message>
        <source>%1 institution</source>
        <translation>Institution (%1)</translation>
    </message>
    <message>
        <source>Transfer ID: %1</source>
        <translation>ID du transfert : %1</translation>
    </message>
    <message>
        <source>Quote ID: %1</source>
        <translation>ID du devis : %1</translation>
    </message>
    <message>
        <source>Transaction ID: %1</source>
        <translation>ID de la transaction : %1</translation>
    </message>
    <message>
        <source>Home transaction ID: %1</source>
        <translation>ID de transaction interne : %1</translation>
    </message>
    <message>
        <source>ILP condition: %1</source>
        <translation>Condition ILP : %1</translation>
    </message>
    <message>
        <source>ILP fulfilment: %1</source>
        <translation>Exécution ILP : %1</translation>
    </message>
    <message>
        <source>ILP packet: %1</source>
        <translation>Paquet ILP : %1</translation>
    </message>
    <message>
        <source>Decoded ILP packet:</source>
        <translation>Paquet ILP décodé :</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>Étapes :</translation>
    </message>
    <message>
        <source>HTTP %1 response</source>
        <translation>Réponse HTTP %1</translation>
    </message>
    <message>
        <source>No FSPIOP messages are recorded for this transfer.</source>
        <translation>Aucun message FSPIOP n&apos;est enregistré pour ce transfert.</translation>
    </message>
    <message>
        <source>Direction: %1</source>
        <translation>Sens : %1</translation>
    </message>
    <message>
        <source>Time: %1</source>
        <translation>Heure : %1</translation>
    </message>
    <message>
        <source>HTTP status: %1</source>
        <translation>Statut HTTP : %1</translation>
    </message>
    <message>
        <source>JWS: %1</source>
        <translation>JWS : %1</translation>
    </message>
    <message>
        <source>Headers:</source>
        <translation>En-têtes :</translation>
    </message>
    <message>
        <source>Body:</source>
        <translation>Corps :</translation>
    </message>
</context>
<context>
    <name>Pm::Ui::TransferTableModel</name>
    <message>
        <source>Initiated</source>
        <translation>Initié</translation>
    </message>
    <message>
        <source>Transfer ID</source>
        <translation>ID du transfert</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Sens</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Counterparty</source>
        <translation>Contrepartie</translation>
    </message>
    <message>
        <source>Payee</source>
        <translation>Bénéficiaire</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Devise</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
</context>
</TS>
